//! One module per Cognito operation; [`lookup`] maps the `X-Amz-Target` suffix to its handler.

use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use serde_json::Value;

pub mod admin_add_user_to_group;
pub mod admin_create_user;
pub mod admin_delete_user;
pub mod admin_enable_user;
pub mod admin_get_user;
pub mod admin_initiate_auth;
pub mod admin_list_groups_for_user;
pub mod admin_reset_user_password;
pub mod admin_respond_to_auth_challenge;
pub mod admin_set_user_mfa_preference;
pub mod admin_set_user_password;
pub mod admin_user_global_sign_out;
pub mod associate_software_token;
pub mod change_password;
pub mod confirm_device;
pub mod confirm_sign_up;
pub mod create_group;
pub mod create_user_pool;
pub mod create_user_pool_client;
pub mod delete_group;
pub mod delete_user;
pub mod delete_user_attributes;
pub mod delete_user_pool;
pub mod describe_user_pool;
pub mod describe_user_pool_client;
pub mod forget_device;
pub mod forgot_password;
pub mod get_device;
pub mod get_group;
pub mod get_user;
pub mod get_user_pool_mfa_config;
pub mod global_sign_out;
pub mod initiate_auth;
pub mod list_devices;
pub mod list_groups;
pub mod list_user_pools;
pub mod list_users;
pub mod list_users_in_group;
pub mod resend_confirmation_code;
pub mod respond_to_auth_challenge;
pub mod revoke_token;
pub mod set_user_mfa_preference;
pub mod set_user_pool_mfa_config;
pub mod sign_up;
pub mod update_device_status;
pub mod update_group;
pub mod update_user_attributes;
pub mod update_user_pool;
pub mod update_user_pool_client;
pub mod verify_software_token;
pub mod verify_user_attribute;

/// Every operation [`lookup`] knows.
pub const OPERATIONS: &[&str] = &[
    "InitiateAuth",
    "RespondToAuthChallenge",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "SetUserMFAPreference",
    "GetUser",
    "GlobalSignOut",
    "RevokeToken",
    "SignUp",
    "ConfirmSignUp",
    "ChangePassword",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "AdminDisableUser",
    "AdminEnableUser",
    "CreateUserPool",
    "DescribeUserPool",
    "ListUserPools",
    "DeleteUserPool",
    "ListUserPoolClients",
    "DeleteUserPoolClient",
    "SetUserPoolMfaConfig",
    "GetUserPoolMfaConfig",
    "CreateUserPoolClient",
    "DescribeUserPoolClient",
    "AdminCreateUser",
    "AdminSetUserPassword",
    "AdminGetUser",
    "AdminDeleteUser",
    "ListUsers",
    "AdminSetUserMFAPreference",
    "AdminInitiateAuth",
    "AdminRespondToAuthChallenge",
    "UpdateUserAttributes",
    "DeleteUserAttributes",
    "GetUserAttributeVerificationCode",
    "VerifyUserAttribute",
    "DeleteUser",
    "ResendConfirmationCode",
    "AdminUpdateUserAttributes",
    "AdminDeleteUserAttributes",
    "AdminUserGlobalSignOut",
    "AdminResetUserPassword",
    "AdminConfirmSignUp",
    "CreateGroup",
    "GetGroup",
    "UpdateGroup",
    "DeleteGroup",
    "ListGroups",
    "AdminAddUserToGroup",
    "AdminRemoveUserFromGroup",
    "AdminListGroupsForUser",
    "ListUsersInGroup",
    "UpdateUserPool",
    "UpdateUserPoolClient",
    "ConfirmDevice",
    "UpdateDeviceStatus",
    "GetDevice",
    "ListDevices",
    "ForgetDevice",
    "AdminGetDevice",
    "AdminListDevices",
    "AdminUpdateDeviceStatus",
    "AdminForgetDevice",
];

pub type Op = fn(&mut Ctx<'_>, &Input) -> Result<Value, ApiError>;

pub fn lookup(name: &str) -> Option<Op> {
    Some(match name {
        "InitiateAuth" => initiate_auth::run,
        "RespondToAuthChallenge" => respond_to_auth_challenge::run,
        "AssociateSoftwareToken" => associate_software_token::run,
        "VerifySoftwareToken" => verify_software_token::run,
        "SetUserMFAPreference" => set_user_mfa_preference::run,
        "GetUser" => get_user::run,
        "GlobalSignOut" => global_sign_out::run,
        "RevokeToken" => revoke_token::run,
        "SignUp" => sign_up::run,
        "ConfirmSignUp" => confirm_sign_up::run,
        "ChangePassword" => change_password::run,
        "ForgotPassword" => forgot_password::run,
        "ConfirmForgotPassword" => forgot_password::confirm,
        "AdminDisableUser" => admin_enable_user::disable,
        "AdminEnableUser" => admin_enable_user::enable,
        "CreateUserPool" => create_user_pool::run,
        "DescribeUserPool" => describe_user_pool::run,
        "ListUserPools" => list_user_pools::run,
        "DeleteUserPool" => delete_user_pool::run,
        "ListUserPoolClients" => list_user_pools::clients,
        "DeleteUserPoolClient" => delete_user_pool::client,
        "SetUserPoolMfaConfig" => set_user_pool_mfa_config::run,
        "GetUserPoolMfaConfig" => get_user_pool_mfa_config::run,
        "CreateUserPoolClient" => create_user_pool_client::run,
        "DescribeUserPoolClient" => describe_user_pool_client::run,
        "AdminCreateUser" => admin_create_user::run,
        "AdminSetUserPassword" => admin_set_user_password::run,
        "AdminGetUser" => admin_get_user::run,
        "AdminDeleteUser" => admin_delete_user::run,
        "ListUsers" => list_users::run,
        "AdminSetUserMFAPreference" => admin_set_user_mfa_preference::run,
        "AdminInitiateAuth" => admin_initiate_auth::run,
        "AdminRespondToAuthChallenge" => admin_respond_to_auth_challenge::run,
        "UpdateUserAttributes" => update_user_attributes::run,
        "DeleteUserAttributes" => delete_user_attributes::run,
        "GetUserAttributeVerificationCode" => verify_user_attribute::get_code,
        "VerifyUserAttribute" => verify_user_attribute::verify,
        "DeleteUser" => delete_user::run,
        "ResendConfirmationCode" => resend_confirmation_code::run,
        "AdminUpdateUserAttributes" => update_user_attributes::admin,
        "AdminDeleteUserAttributes" => delete_user_attributes::admin,
        "AdminUserGlobalSignOut" => admin_user_global_sign_out::run,
        "AdminResetUserPassword" => admin_reset_user_password::run,
        "AdminConfirmSignUp" => confirm_sign_up::admin,
        "CreateGroup" => create_group::run,
        "GetGroup" => get_group::run,
        "UpdateGroup" => update_group::run,
        "DeleteGroup" => delete_group::run,
        "ListGroups" => list_groups::run,
        "AdminAddUserToGroup" => admin_add_user_to_group::add,
        "AdminRemoveUserFromGroup" => admin_add_user_to_group::remove,
        "AdminListGroupsForUser" => admin_list_groups_for_user::run,
        "ListUsersInGroup" => list_users_in_group::run,
        "UpdateUserPool" => update_user_pool::run,
        "UpdateUserPoolClient" => update_user_pool_client::run,
        "ConfirmDevice" => confirm_device::run,
        "UpdateDeviceStatus" => update_device_status::run,
        "GetDevice" => get_device::run,
        "ListDevices" => list_devices::run,
        "ForgetDevice" => forget_device::run,
        "AdminGetDevice" => get_device::admin,
        "AdminListDevices" => list_devices::admin,
        "AdminUpdateDeviceStatus" => update_device_status::admin,
        "AdminForgetDevice" => forget_device::admin,
        _ => return None,
    })
}

/// `AuthParameters`/`ChallengeResponses`-style maps, empty when absent.
pub(crate) fn params(input: &Input, name: &str) -> Result<Input, ApiError> {
    Ok(input.str_map(name)?.unwrap_or(Input(serde_json::Map::new())))
}

/// A required entry of such a map, with Cognito's wording.
pub(crate) fn need<'a>(map: &'a Input, name: &str) -> Result<&'a str, ApiError> {
    map.opt_str(name)?.ok_or_else(|| ApiError::invalid_parameter(format!("Missing required parameter {name}")))
}
