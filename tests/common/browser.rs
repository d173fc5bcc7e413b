//! JS plumbing shared by the browser test files (browser_faults.rs, browser_flows.rs):
//! `#[path = "common/browser.rs"] mod browser;`
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

pub fn obj(entries: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in entries {
        set(&o, k, v);
    }
    o
}

pub fn set(o: &Object, k: &str, v: &JsValue) {
    Reflect::set(o, &JsValue::from_str(k), v).unwrap();
}

pub fn prop(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

pub fn prop_str(v: &JsValue, key: &str) -> String {
    prop(v, key).as_string().unwrap_or_else(|| panic!("{key} is not a string on {v:?}"))
}
