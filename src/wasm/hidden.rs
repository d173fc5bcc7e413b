//! What the app must not see — a step's challenge (its Session and the username Cognito wants back), a setup's
//! secret and Session or access token — stays in wasm memory. The object handed out is found again through a
//! `WeakMap` from it to a number, and its entry here is freed when that object is garbage-collected (a
//! `FinalizationRegistry`) or freed explicitly. Neither `JSON.stringify`, `console.log` nor devtools can reach a
//! `WeakMap`'s values through the object, and these values are only numbers anyway.

use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use std::thread::LocalKey;

use js_sys::{FinalizationRegistry, Object, Reflect, WeakMap};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;

pub struct Hidden<T: 'static> {
    ids: WeakMap,
    /// `None` where the platform has no `FinalizationRegistry`: entries then live until freed explicitly.
    registry: Option<FinalizationRegistry>,
    /// Kept for as long as the registry may call it (the life of the page).
    _cleanup: Closure<dyn Fn(JsValue)>,
    /// Live entries by id; a few at a time, so a list.
    slots: RefCell<Vec<(u32, Rc<T>)>>,
    next: Cell<u32>,
}

impl<T: 'static> Hidden<T> {
    /// `key` is the thread-local this registry lives in, for its cleanup callback to find it again.
    pub fn new(key: &'static LocalKey<Hidden<T>>) -> Self {
        let cleanup = Closure::<dyn Fn(JsValue)>::new(move |held: JsValue| {
            if let Some(id) = held.as_f64() {
                // During teardown the registry may already be gone: nothing left to free then.
                let _ = key.try_with(|hidden| hidden.remove(id as u32));
            }
        });
        let has_registry = Reflect::has(&js_sys::global(), &JsValue::from_str("FinalizationRegistry")).unwrap_or(false);
        let registry = has_registry.then(|| FinalizationRegistry::new(cleanup.as_ref().unchecked_ref()));
        Hidden { ids: WeakMap::new(), registry, _cleanup: cleanup, slots: RefCell::new(Vec::new()), next: Cell::new(0) }
    }

    /// Keeps `value` for `object`, until `object` is collected or [`Hidden::remove`] is called with the returned id.
    pub fn insert(&self, object: &Object, value: T) -> u32 {
        let id = self.insert_pending(value);
        self.link(object, id);
        id
    }

    /// Keeps `value` for an object that does not exist yet; [`Hidden::link`] names it.
    pub fn insert_pending(&self, value: T) -> u32 {
        let id = self.next.get();
        self.next.set(id.wrapping_add(1));
        self.slots.borrow_mut().push((id, Rc::new(value)));
        id
    }

    /// Keeps `value` for the object `make` builds from its id (a wasm-bindgen class holding only the id), and
    /// hands that object out.
    pub fn hand_out(&self, value: T, make: impl FnOnce(u32) -> JsValue) -> JsValue {
        let id = self.insert_pending(value);
        let object = make(id);
        self.link(object.unchecked_ref(), id);
        object
    }

    pub fn link(&self, object: &Object, id: u32) {
        let held = JsValue::from(id);
        self.ids.set(object, &held);
        if let Some(registry) = &self.registry {
            registry.register(object, &held);
        }
    }

    /// The value kept for `object`, if this registry handed it out and it is still alive.
    pub fn get(&self, object: &JsValue) -> Option<Rc<T>> {
        if !object.is_object() {
            return None;
        }
        let id = self.ids.get(object.unchecked_ref()).as_f64()?;
        self.by_id(id as u32)
    }

    pub fn by_id(&self, id: u32) -> Option<Rc<T>> {
        self.slots.borrow().iter().find(|(i, _)| *i == id).map(|(_, v)| Rc::clone(v))
    }

    /// Forgets (and so wipes, once no call in flight holds it) the value behind `id`.
    pub fn remove(&self, id: u32) {
        self.slots.borrow_mut().retain(|(i, _)| *i != id);
    }
}
