"""Every operation the emulator claims, against botocore's service model.

For each operation listed in emulator/src/ops/mod.rs (and served by GET /_emulator/operations), boto3
sends it on a fresh pool, client, user, group and tokens:

- with its required members only (values for the names the fixture knows, model-shaped filler for the
  rest): the answer is a success or an error type the model lists for that operation;
- with the members a working call needs: the answer is the success (or the one error) written below.

Every success is checked against the model's output shape on the raw JSON: no member the model does
not know (botocore would drop a misnamed one silently), every required member present, every value of
its modelled type and enum. Every error must be listed for the operation, and never an internal error.
"""

import datetime
import json
import pathlib
import re
import urllib.request
import uuid

import botocore.session
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError
from conftest import REPO

MOD_RS = REPO / "emulator" / "src" / "ops" / "mod.rs"
OPERATIONS = re.findall(
    r'^    "(\w+)",$', MOD_RS.read_text().split("pub const OPERATIONS")[1].split("];")[0], re.MULTILINE
)
MODEL = botocore.session.get_session().get_service_model("cognito-idp")
PASSWORD = "Model-Passw0rd!"
NEW_PASSWORD = "Model-Passw0rd-2!"
# A device verifier and salt (base64): any group element will do where no device SRP follows.
VERIFIER = {"PasswordVerifier": "AgM=", "Salt": "AQID"}

# Members a working call needs beyond the required ones (or instead of their filler).
WORKING = {
    "InitiateAuth": lambda f: {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": f["Username"], "PASSWORD": PASSWORD},
    },
    "AdminInitiateAuth": lambda f: {
        "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": f["Username"], "PASSWORD": PASSWORD},
    },
    "AssociateSoftwareToken": lambda f: {"AccessToken": f["AccessToken"]},
    "VerifySoftwareToken": lambda f: {"AccessToken": f["AccessToken"]},
    "SignUp": lambda f: {"Username": "newcomer", "Password": PASSWORD},
    "ChangePassword": lambda f: {"PreviousPassword": PASSWORD, "ProposedPassword": NEW_PASSWORD},
    "AdminCreateUser": lambda f: {"Username": "created"},
    "CreateGroup": lambda f: {"GroupName": "writers", "Precedence": 2},
    "UpdateGroup": lambda f: {"Description": "people who read"},
    "SetUserMFAPreference": lambda f: {"SoftwareTokenMfaSettings": {"Enabled": False}},
    "AdminSetUserMFAPreference": lambda f: {"SoftwareTokenMfaSettings": {"Enabled": False}},
    "UpdateUserPool": lambda f: {"MfaConfiguration": "OPTIONAL", "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": True}},
    "UpdateUserPoolClient": lambda f: {"AccessTokenValidity": 30, "TokenValidityUnits": {"AccessToken": "minutes"}},
    "ListUsers": lambda f: {"Filter": f'username = "{f["Username"]}"', "Limit": 1},
    "ConfirmDevice": lambda f: {"DeviceKey": f["NewDeviceKey"], "DeviceSecretVerifierConfig": VERIFIER, "DeviceName": "model"},
    "UpdateDeviceStatus": lambda f: {"DeviceRememberedStatus": "remembered"},
    "AdminUpdateDeviceStatus": lambda f: {"DeviceRememberedStatus": "not_remembered"},
    "GetDevice": lambda f: {"AccessToken": f["AccessToken"]},
    "ForgetDevice": lambda f: {"AccessToken": f["AccessToken"]},
    "ListDevices": lambda f: {"Limit": 10},
    "AdminListDevices": lambda f: {"Limit": 10},
}

# What the working call answers when it is not a success: a fixture user is confirmed, has no codes
# pending, and no auth challenge is under way.
WORKING_ERROR = {
    "RespondToAuthChallenge": "InvalidParameterException",
    "AdminRespondToAuthChallenge": "InvalidParameterException",
    "VerifySoftwareToken": "InvalidParameterException",
    "ConfirmSignUp": "NotAuthorizedException",
    "AdminConfirmSignUp": "NotAuthorizedException",
    "ConfirmForgotPassword": "CodeMismatchException",
    "VerifyUserAttribute": "CodeMismatchException",
    "ResendConfirmationCode": "InvalidParameterException",
}


@pytest.fixture(scope="module")
def session_client(idp):
    raw = {}

    def keep(http_response, **_):
        raw["body"] = http_response.content

    idp.meta.events.register("after-call.cognito-idp", keep)
    yield idp, raw
    idp.meta.events.unregister("after-call.cognito-idp", keep)


def fixture_values(idp):
    """A fresh pool with TOTP, a client allowing password sign-in, a confirmed user in a group, tokens."""
    pool_id = idp.create_user_pool(
        PoolName=f"model-{uuid.uuid4().hex[:8]}",
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True},
    )["UserPool"]["Id"]
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL"
    )
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="model",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="modeller",
        UserAttributes=[{"Name": "email", "Value": "modeller@example.com"}],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username="modeller", Password=PASSWORD, Permanent=True)
    idp.create_group(UserPoolId=pool_id, GroupName="readers")
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="modeller", GroupName="readers")
    def sign_in():
        return idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "modeller", "PASSWORD": PASSWORD},
        )["AuthenticationResult"]

    # The pool tracks devices: one sign-in's device is confirmed, the last one's is fresh (for ConfirmDevice).
    tokens = sign_in()
    device_key = tokens["NewDeviceMetadata"]["DeviceKey"]
    idp.confirm_device(AccessToken=tokens["AccessToken"], DeviceKey=device_key, DeviceSecretVerifierConfig=VERIFIER)
    tokens = sign_in()
    return {
        "DeviceKey": device_key,
        "NewDeviceKey": tokens["NewDeviceMetadata"]["DeviceKey"],
        "UserPoolId": pool_id,
        "ClientId": client_id,
        "Username": "modeller",
        "GroupName": "readers",
        "AccessToken": tokens["AccessToken"],
        "Token": tokens["RefreshToken"],
        "Password": PASSWORD,
        "ProposedPassword": NEW_PASSWORD,
        "PoolName": "model-pool",
        "ClientName": "model-client",
        "AttributeName": "email",
        "UserAttributes": [{"Name": "given_name", "Value": "Model"}],
        "UserAttributeNames": ["given_name"],
        "Code": "123456",
        "ConfirmationCode": "123456",
        "UserCode": "123456",
        "MaxResults": 10,
    }


def filler(shape, depth=0):
    """A value of the shape's type that botocore's own validation accepts (required members only)."""
    kind = shape.type_name
    if kind == "structure":
        return {name: filler(shape.members[name], depth + 1) for name in shape.required_members}
    if kind == "list":
        return [filler(shape.member, depth + 1)] if depth < 4 else []
    if kind == "map":
        return {}
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        return "x" * max(1, shape.metadata.get("min", 1))
    if kind in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return datetime.datetime.now(datetime.timezone.utc)
    if kind == "blob":
        return b"x"
    raise AssertionError(f"no filler for {kind}")


def required_params(op_model, values):
    shape = op_model.input_shape
    return {
        name: values[name] if name in values else filler(shape.members[name]) for name in shape.required_members
    }


def check_value(shape, value, path):
    """Raw JSON against the model: members, required members, types, enums."""
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(value, dict), f"{path}: {value!r} is not an object"
        unknown = set(value) - set(shape.members)
        assert not unknown, f"{path}: members the model does not know: {sorted(unknown)}"
        missing = [m for m in shape.required_members if value.get(m) is None]
        assert not missing, f"{path}: required members missing: {missing}"
        for name, member in value.items():
            if member is not None:
                check_value(shape.members[name], member, f"{path}.{name}")
    elif kind == "list":
        assert isinstance(value, list), f"{path}: {value!r} is not a list"
        for i, item in enumerate(value):
            check_value(shape.member, item, f"{path}[{i}]")
    elif kind == "map":
        assert isinstance(value, dict), f"{path}: {value!r} is not a map"
        for k, v in value.items():
            check_value(shape.key, k, f"{path} key")
            check_value(shape.value, v, f"{path}[{k}]")
    elif kind == "string":
        assert isinstance(value, str), f"{path}: {value!r} is not a string"
        if shape.enum:
            assert value in shape.enum, f"{path}: {value!r} not in {shape.enum}"
    elif kind in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool), f"{path}: {value!r} is not an integer"
    elif kind == "boolean":
        assert isinstance(value, bool), f"{path}: {value!r} is not a boolean"
    elif kind == "timestamp":
        assert isinstance(value, (int, float)) and not isinstance(value, bool), f"{path}: {value!r} is not epoch seconds"
    elif kind in ("double", "float"):
        assert isinstance(value, (int, float)), f"{path}: {value!r} is not a number"
    else:
        raise AssertionError(f"{path}: unchecked type {kind}")


def call(session_client, op_name, params):
    """(error code or None, raw JSON body) for one boto3 call."""
    idp, raw = session_client
    raw.clear()
    try:
        getattr(idp, xform_name(op_name))(**params)
        error = None
    except ClientError as err:
        error = err.response["Error"]["Code"]
        assert isinstance(err.response["Error"].get("Message"), str), err.response
    body = raw.get("body") or b"{}"
    return error, json.loads(body)


def check_answer(op_name, error, body):
    op_model = MODEL.operation_model(op_name)
    if error is None:
        if op_model.output_shape is not None:
            check_value(op_model.output_shape, body, op_name)
        else:
            assert body == {}, f"{op_name}: a body where the model has no output: {body}"
        return
    listed = {e.name for e in op_model.error_shapes}
    assert error in listed, f"{op_name}: {error} is not among its modelled errors {sorted(listed)}"
    assert error != "InternalErrorException", f"{op_name}: {body}"


def test_every_operation_is_in_the_model_and_served(emulator_url):
    assert len(OPERATIONS) >= 64, OPERATIONS
    with urllib.request.urlopen(emulator_url + "_emulator/operations", timeout=10) as response:
        served = json.load(response)
    assert served == OPERATIONS
    unknown = [op for op in OPERATIONS if op not in MODEL.operation_names]
    assert not unknown, f"not Cognito operations (check the spelling): {unknown}"


@pytest.mark.parametrize("op_name", OPERATIONS)
def test_required_members_only(session_client, op_name):
    idp, _ = session_client
    values = fixture_values(idp)
    params = required_params(MODEL.operation_model(op_name), values)
    error, body = call(session_client, op_name, params)
    check_answer(op_name, error, body)


@pytest.mark.parametrize("op_name", OPERATIONS)
def test_a_working_call(session_client, op_name):
    idp, _ = session_client
    values = fixture_values(idp)
    params = required_params(MODEL.operation_model(op_name), values)
    params.update(WORKING.get(op_name, lambda f: {})(values))
    error, body = call(session_client, op_name, params)
    check_answer(op_name, error, body)
    assert error == WORKING_ERROR.get(op_name), f"{op_name}: {error}: {body}"
