//! Step objects: frozen plain objects whose own properties are the step's public fields (`type`, then the rest),
//! with a `toJSON` from their prototype (js/snippets/step.js). The challenge behind each — Cognito's name, the
//! Session, the username to answer as — stays in wasm ([`Hidden`]) and is found again from the object.

use alloc::rc::Rc;

use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::hidden::Hidden;
use super::platform::serializer;
use crate::core::Error;
use crate::core::flow::{Challenge, Step};

#[wasm_bindgen(module = "/js/snippets/step.js")]
extern "C" {
    /// The steps' prototype.
    #[wasm_bindgen(js_name = Step)]
    type StepObject;
    #[wasm_bindgen(constructor, js_class = "Step")]
    fn new() -> StepObject;
}

thread_local! {
    static CHALLENGES: Hidden<Challenge> = Hidden::new(&CHALLENGES);
}

/// The step as the object the app gets.
pub fn to_js(step: Step) -> Result<JsValue, Error> {
    to_js_with(step, None)
}

/// The step with one more member (`deviceError`) set before it is frozen.
pub fn to_js_with(step: Step, extra: Option<(JsValue, JsValue)>) -> Result<JsValue, Error> {
    let (step, challenge) = step.into_parts();
    let fields = step.serialize(&serializer()).map_err(|_| Error::protocol("the step cannot be handed to JS"))?;
    let object: Object = StepObject::new().unchecked_into();
    Object::assign(&object, fields.unchecked_ref());
    if let Some((name, value)) = extra {
        // A data property on a fresh, unfrozen object: cannot fail.
        let _ = Reflect::set(&object, &name, &value);
    }
    if let Some(challenge) = challenge {
        CHALLENGES.with(|c| c.insert(&object, challenge));
    }
    Ok(Object::freeze(&object).into())
}

/// The challenge behind a step this library returned.
pub fn challenge_of(step: &JsValue) -> Result<Rc<Challenge>, Error> {
    if let Some(challenge) = CHALLENGES.with(|c| c.get(step)) {
        return Ok(challenge);
    }
    let done = step.is_instance_of::<StepObject>()
        && Reflect::get(step, &JsValue::from_str("type")).ok().and_then(|t| t.as_string()).as_deref() == Some("done");
    Err(Error::invalid(if done {
        "this step is done: there is nothing to answer"
    } else {
        "expected a step object returned by this library"
    }))
}
