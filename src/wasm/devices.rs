//! Remembered devices: `rememberDevice` and the `Device` it returns, a sign-in through a device, and the device
//! list. A device's password is a secret the app keeps (like a refresh token): it stays in wasm memory behind the
//! `Device` object, and only `toRecord()` hands it out, for the app to store where it chooses; `toJSON()` and
//! `console.log` show the key and group key only.

use alloc::rc::Rc;
use alloc::string::String;

use js_sys::{Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::hidden::Hidden;
use super::{CognitoTotp, invalid, js_error, options, spawn, steps, to_js};
use crate::core::Error;
use crate::core::flow::{Device as CoreDevice, NewDevice, RememberedStatus};
use crate::core::input::{self, DeviceInput, DeviceOptions, RememberInput};
use crate::core::secret::Password;
use crate::core::wire::Loose;

thread_local! {
    static DEVICES: Hidden<CoreDevice> = Hidden::new(&DEVICES);
}

/// A device Cognito remembers for this user. Keep it for the next `signIn(username, password, { device })`.
#[wasm_bindgen]
pub struct Device {
    id: u32,
}

/// `toRecord()`: the device with its password, for the app's own storage.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Record<'a> {
    key: &'a str,
    group_key: &'a str,
    password: &'a str,
}

impl Device {
    fn handed_out(device: CoreDevice) -> JsValue {
        DEVICES.with(|devices| devices.hand_out(device, |id| JsValue::from(Device { id })))
    }

    fn device(&self) -> Result<Rc<CoreDevice>, JsValue> {
        DEVICES.with(|d| d.by_id(self.id)).ok_or_else(|| js_error(&invalid("this Device was freed")))
    }
}

#[wasm_bindgen]
impl Device {
    /// A device from what `toRecord()` gave (`{ key, groupKey, password }`); throws `InvalidParameterException`
    /// when a member is missing or malformed.
    #[wasm_bindgen(js_name = fromRecord, unchecked_return_type = "Device")]
    pub fn from_record(
        #[wasm_bindgen(unchecked_param_type = "DeviceRecord")] record: JsValue,
    ) -> Result<JsValue, JsValue> {
        from_record(&record).map(Device::handed_out).map_err(|e| js_error(&e))
    }

    /// Cognito's device key (`{region}_{uuid}`).
    #[wasm_bindgen(getter)]
    pub fn key(&self) -> Result<String, JsValue> {
        Ok(self.device()?.key().into())
    }

    #[wasm_bindgen(getter, js_name = groupKey)]
    pub fn group_key(&self) -> Result<String, JsValue> {
        Ok(self.device()?.group_key().into())
    }

    /// `{ key, groupKey, password }` to store (IndexedDB, the app's own encrypted storage, ...). The password is a
    /// secret: whoever has the record and the user's password signs in without MFA from anywhere.
    #[wasm_bindgen(js_name = toRecord, unchecked_return_type = "DeviceRecord")]
    pub fn to_record(&self) -> Result<JsValue, JsValue> {
        let device = self.device()?;
        let record = Record { key: device.key(), group_key: device.group_key(), password: device.password().as_str() };
        to_js(&record).map_err(|e| js_error(&e))
    }

    /// `{ key, groupKey }`: no secret in JSON.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ key: string; groupKey: string }")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        let device = self.device()?;
        to_js(&NewDevice { key: device.key().into(), group_key: device.group_key().into() }).map_err(|e| js_error(&e))
    }
}

impl Drop for Device {
    /// `free()` wipes the device password now.
    fn drop(&mut self) {
        let _ = DEVICES.try_with(|d| d.remove(self.id));
    }
}

fn from_record(record: &JsValue) -> Result<CoreDevice, Error> {
    if !record.is_object() {
        return Err(invalid("a device must be a Device or { key, groupKey, password }"));
    }
    let input: DeviceInput = options(record, "a device must be a Device or { key, groupKey, password }")?;
    let text = |value: &Loose, name: &str| {
        input::opt_string(value, name)?.ok_or_else(|| Error::invalid(alloc::format!("{name} is missing")))
    };
    CoreDevice::new(
        text(&input.key, "device.key")?,
        text(&input.group_key, "device.groupKey")?,
        Password::new(text(&input.password, "device.password")?),
    )
}

/// The device of `signIn`'s options: a `Device` this library returned, or a record of one.
pub fn sign_in_device(sign_in_options: &JsValue) -> Result<Option<Rc<CoreDevice>>, Error> {
    if sign_in_options.is_undefined() || sign_in_options.is_null() {
        return Ok(None);
    }
    if !sign_in_options.is_object() {
        return Err(invalid("signIn options must be an object"));
    }
    let value = Reflect::get(sign_in_options, &JsValue::from_str("device")).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if let Some(device) = DEVICES.with(|d| d.get(&value)) {
        return Ok(Some(device));
    }
    from_record(&value).map(|device| Some(Rc::new(device)))
}

/// A device key argument: a string, or a `Device` (its key).
fn device_key(value: &JsValue) -> Option<String> {
    value.as_string().or_else(|| DEVICES.with(|d| d.get(value)).map(|device| device.key().into()))
}

#[wasm_bindgen]
impl CognitoTotp {
    /// Confirms the device a finished sign-in met (`step.newDevice`) and sets whether Cognito remembers it
    /// (`remember`, default `true`). Resolves to the `Device` to keep; nothing is stored.
    #[wasm_bindgen(js_name = rememberDevice, unchecked_return_type = "Promise<Device>")]
    pub fn remember_device(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DoneStep | { tokens: { accessToken: string }; newDevice: NewDevice }")]
        step: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RememberDeviceOptions")] options_value: Option<JsValue>,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            let message = "rememberDevice needs a done step with newDevice";
            if !step.is_object() {
                return Err(invalid(message));
            }
            let input: RememberInput = options(&step, message)?;
            let (Loose::Str(access_token), Loose::Str(key), Loose::Str(group_key)) =
                (input.tokens.access_token, input.new_device.key, input.new_device.group_key)
            else {
                return Err(invalid(message));
            };
            let opts: DeviceOptions =
                options(&options_value.unwrap_or(JsValue::UNDEFINED), "rememberDevice options must be an object")?;
            let name = input::opt_string(&opts.name, "name")?;
            let remember = input::opt_bool(&opts.remember, "remember")?.unwrap_or(true);
            let new_device = NewDevice { key, group_key };
            let device = client.remember_device(Some(&access_token), &new_device, name.as_deref(), remember).await?;
            Ok(Device::handed_out(device))
        })
    }

    /// ListDevices: one page, `{ devices, paginationToken? }`.
    #[wasm_bindgen(js_name = listDevices, unchecked_return_type = "Promise<DevicePage>")]
    pub fn list_devices(
        &self,
        #[wasm_bindgen(js_name = accessToken, unchecked_param_type = "string")] access_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ListDevicesOptions")] options_value: Option<JsValue>,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            let opts: DeviceOptions =
                options(&options_value.unwrap_or(JsValue::UNDEFINED), "listDevices options must be an object")?;
            let limit = input::opt_uint(&opts.limit, "limit")?;
            let page = input::opt_string(&opts.pagination_token, "paginationToken")?;
            to_js(&client.list_devices(access_token.as_string().as_deref(), limit, page.as_deref()).await?)
        })
    }

    /// GetDevice.
    #[wasm_bindgen(js_name = getDevice, unchecked_return_type = "Promise<DeviceInfo>")]
    pub fn get_device(
        &self,
        #[wasm_bindgen(js_name = accessToken, unchecked_param_type = "string")] access_token: JsValue,
        #[wasm_bindgen(js_name = deviceKey, unchecked_param_type = "string | Device")] device: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            let key = device_key(&device);
            to_js(&client.get_device(access_token.as_string().as_deref(), key.as_deref()).await?)
        })
    }

    /// ForgetDevice: the next sign-in through it is asked for MFA again.
    #[wasm_bindgen(js_name = forgetDevice, unchecked_return_type = "Promise<void>")]
    pub fn forget_device(
        &self,
        #[wasm_bindgen(js_name = accessToken, unchecked_param_type = "string")] access_token: JsValue,
        #[wasm_bindgen(js_name = deviceKey, unchecked_param_type = "string | Device")] device: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            let key = device_key(&device);
            client.forget_device(access_token.as_string().as_deref(), key.as_deref()).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// UpdateDeviceStatus: `"remembered"` or `"not_remembered"`.
    #[wasm_bindgen(js_name = updateDeviceStatus, unchecked_return_type = "Promise<void>")]
    pub fn update_device_status(
        &self,
        #[wasm_bindgen(js_name = accessToken, unchecked_param_type = "string")] access_token: JsValue,
        #[wasm_bindgen(js_name = deviceKey, unchecked_param_type = "string | Device")] device: JsValue,
        #[wasm_bindgen(unchecked_param_type = "\"remembered\" | \"not_remembered\"")] status: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            let status = status
                .as_string()
                .and_then(|s| RememberedStatus::parse(&s))
                .ok_or_else(|| invalid("the status must be \"remembered\" or \"not_remembered\""))?;
            let key = device_key(&device);
            client.update_device_status(access_token.as_string().as_deref(), key.as_deref(), status).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// The step of a sign-in through a device, with `deviceError` when Cognito did not know the device.
pub fn step_with_notice(step: crate::core::flow::Step, notice: Option<Error>) -> Result<JsValue, Error> {
    steps::to_js_with(step, notice.map(|e| (JsValue::from_str("deviceError"), js_error(&e))))
}
