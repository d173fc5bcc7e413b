"""boto3 against the emulator's device operations: a pool that tracks devices hands out NewDeviceMetadata,
ConfirmDevice registers it, and the user and admin calls list, read, update and forget it. boto3 parses every
answer with the service model, so a misnamed or mistyped member fails here. (Device SRP itself is driven by
amazon-cognito-identity-js in identity-js.test.mjs.)
"""
import base64
import re
import uuid

import pytest
from botocore.exceptions import ClientError
from test_boto3 import new_user, password_auth

PASSWORD = "Device-Passw0rd!"
# Any group element will do for the admin calls: the verifier only matters for device SRP.
VERIFIER = {"PasswordVerifier": base64.b64encode(b"\x02\x03").decode(), "Salt": base64.b64encode(b"\x01\x02\x03").decode()}


@pytest.fixture
def tracked(idp):
    pool_id = idp.create_user_pool(
        PoolName=f"devices-{uuid.uuid4().hex[:8]}",
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True},
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="devices", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    new_user(idp, pool_id, "owner", PASSWORD)
    return pool_id, client_id


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def attributes(device):
    return {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}


def new_device(idp, pool_id, client_id):
    result = password_auth(idp, pool_id, client_id, "owner", PASSWORD)["AuthenticationResult"]
    return result["NewDeviceMetadata"], result["AccessToken"]


def test_the_pool_describes_its_device_configuration(idp, tracked):
    pool_id, _ = tracked
    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["DeviceConfiguration"] == {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True}


def test_confirm_list_get_update_forget(idp, tracked):
    pool_id, client_id = tracked
    meta, access = new_device(idp, pool_id, client_id)
    region = pool_id.split("_")[0]
    assert re.fullmatch(region + r"_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", meta["DeviceKey"])
    assert meta["DeviceGroupKey"]
    key = meta["DeviceKey"]
    # Not confirmed yet: no device to show.
    assert idp.admin_list_devices(UserPoolId=pool_id, Username="owner")["Devices"] == []
    confirmed = idp.confirm_device(AccessToken=access, DeviceKey=key, DeviceSecretVerifierConfig=VERIFIER, DeviceName="boto3")
    assert confirmed["UserConfirmationNecessary"] is True
    with pytest.raises(ClientError) as e:
        idp.confirm_device(AccessToken=access, DeviceKey=key, DeviceSecretVerifierConfig=VERIFIER)
    assert error_code(e) == "DeviceKeyExistsException"

    (listed,) = idp.admin_list_devices(UserPoolId=pool_id, Username="owner")["Devices"]
    assert listed["DeviceKey"] == key
    attrs = attributes(listed)
    assert attrs["device_name"] == "boto3"
    assert attrs["device_status"] == "valid"
    assert attrs["dev:device_remembered_status"] == "not_remembered"
    assert listed["DeviceCreateDate"].year >= 2024  # botocore parsed the epoch seconds

    idp.admin_update_device_status(UserPoolId=pool_id, Username="owner", DeviceKey=key, DeviceRememberedStatus="remembered")
    device = idp.admin_get_device(UserPoolId=pool_id, Username="owner", DeviceKey=key)["Device"]
    assert attributes(device)["dev:device_remembered_status"] == "remembered"
    idp.update_device_status(AccessToken=access, DeviceKey=key, DeviceRememberedStatus="not_remembered")
    device = idp.get_device(AccessToken=access, DeviceKey=key)["Device"]
    assert attributes(device)["dev:device_remembered_status"] == "not_remembered"

    idp.forget_device(AccessToken=access, DeviceKey=key)
    for call in (
        lambda: idp.get_device(AccessToken=access, DeviceKey=key),
        lambda: idp.admin_get_device(UserPoolId=pool_id, Username="owner", DeviceKey=key),
        lambda: idp.admin_forget_device(UserPoolId=pool_id, Username="owner", DeviceKey=key),
    ):
        with pytest.raises(ClientError) as e:
            call()
        assert error_code(e) == "ResourceNotFoundException"
        assert e.value.response["Error"]["Message"] == "Device does not exist."


def test_pages_and_admin_forget(idp, tracked):
    pool_id, client_id = tracked
    keys = []
    for name in ("first", "second", "third"):
        meta, access = new_device(idp, pool_id, client_id)
        idp.confirm_device(AccessToken=access, DeviceKey=meta["DeviceKey"], DeviceSecretVerifierConfig=VERIFIER, DeviceName=name)
        keys.append(meta["DeviceKey"])
    seen, token = [], None
    while True:
        extra = {"PaginationToken": token} if token else {}
        page = idp.admin_list_devices(UserPoolId=pool_id, Username="owner", Limit=2, **extra)
        assert len(page["Devices"]) <= 2
        seen += [d["DeviceKey"] for d in page["Devices"]]
        token = page.get("PaginationToken")
        if not token:
            break
    assert seen == sorted(keys)
    assert [d["DeviceKey"] for d in idp.list_devices(AccessToken=access)["Devices"]] == sorted(keys)
    idp.admin_forget_device(UserPoolId=pool_id, Username="owner", DeviceKey=keys[0])
    remaining = idp.list_devices(AccessToken=access, Limit=60)["Devices"]
    assert sorted(d["DeviceKey"] for d in remaining) == sorted(keys[1:])


def test_bad_input_is_refused_with_modelled_errors(idp, tracked):
    pool_id, client_id = tracked
    meta, access = new_device(idp, pool_id, client_id)
    with pytest.raises(ClientError) as e:
        idp.confirm_device(AccessToken=access, DeviceKey=meta["DeviceKey"],
                           DeviceSecretVerifierConfig={"PasswordVerifier": "not base64!", "Salt": "AQID"})
    assert error_code(e) == "InvalidParameterException"
    with pytest.raises(ClientError) as e:
        idp.admin_update_device_status(UserPoolId=pool_id, Username="owner", DeviceKey=meta["DeviceKey"])
    assert error_code(e) in ("InvalidParameterException", "ResourceNotFoundException")
    with pytest.raises(ClientError) as e:
        idp.admin_get_device(UserPoolId=pool_id, Username="nobody", DeviceKey=meta["DeviceKey"])
    assert error_code(e) in ("UserNotFoundException", "ResourceNotFoundException")
    with pytest.raises(ClientError) as e:
        idp.list_devices(AccessToken="not-a-token")
    assert error_code(e) == "NotAuthorizedException"


def test_a_pool_without_device_configuration_hands_out_no_device(idp):
    pool_id = idp.create_user_pool(PoolName=f"nodevices-{uuid.uuid4().hex[:8]}")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="plain", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    new_user(idp, pool_id, "owner", PASSWORD)
    result = password_auth(idp, pool_id, client_id, "owner", PASSWORD)["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result
    assert "DeviceConfiguration" not in idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
