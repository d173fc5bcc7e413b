"""What apps and their test suites call around sign-in, through boto3 and the aws CLI: attributes and
their verification, groups in the (JWKS-verified) tokens, admin resets, confirmations and sign-outs,
pool and client updates, ListUsers filters and boto3's own paginators."""

import json
import uuid

import pytest
from botocore.exceptions import ClientError
from conftest import totp
from test_boto3 import FLOWS, aws, error_code, new_pool, new_user, other_code, password_auth, verify_jwt

PASSWORD = "Breadth-Passw0rd!"


def attributes(user, member="UserAttributes"):
    return {a["Name"]: a["Value"] for a in user[member]}


def pool_with_client(idp, **client):
    pool_id, _ = new_pool(idp)
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=FLOWS, **client)[
        "UserPoolClient"
    ]["ClientId"]
    return pool_id, client_id


def sent_to(dev, pool_id, username):
    return [m for m in dev.messages() if m["poolId"] == pool_id and m["username"] == username]


def test_select_mfa_type_set_up_through_the_api_alone(idp, dev):
    """The fidelity scorecard's set-up: phone number by AdminUpdateUserAttributes, both factors enabled
    and none preferred by AdminSetUserMFAPreference, then the sign-in has to choose."""
    pool_id, client_id = pool_with_client(idp)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
        SmsMfaConfiguration={"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "x"}},
    )
    new_user(idp, pool_id, "chooser", PASSWORD)
    idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="chooser",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550177"}, {"Name": "phone_number_verified", "Value": "true"}],
    )
    tokens = password_auth(idp, pool_id, client_id, "chooser", PASSWORD)["AuthenticationResult"]
    secret = idp.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
    assert idp.verify_software_token(AccessToken=tokens["AccessToken"], UserCode=totp(secret, dev.now()))["Status"] == "SUCCESS"
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username="chooser",
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False},
    )
    user = idp.admin_get_user(UserPoolId=pool_id, Username="chooser")
    assert sorted(user["UserMFASettingList"]) == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    assert "PreferredMfaSetting" not in user

    challenge = password_auth(idp, pool_id, client_id, "chooser", PASSWORD)
    assert challenge["ChallengeName"] == "SELECT_MFA_TYPE"
    assert sorted(json.loads(challenge["ChallengeParameters"]["MFAS_CAN_CHOOSE"])) == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    chosen = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="SELECT_MFA_TYPE",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "chooser", "ANSWER": "SOFTWARE_TOKEN_MFA"},
    )
    assert chosen["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    done = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=chosen["Session"],
        ChallengeResponses={"USERNAME": "chooser", "SOFTWARE_TOKEN_MFA_CODE": totp(secret, dev.advance(30))},
    )
    assert done["AuthenticationResult"]["AccessToken"]


def test_attributes_update_verify_and_delete(idp, dev, emulator_url):
    pool_id, client_id = pool_with_client(idp)
    new_user(idp, pool_id, "attr", PASSWORD)
    idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username="attr", UserAttributes=[{"Name": "email_verified", "Value": "true"}]
    )
    tokens = password_auth(idp, pool_id, client_id, "attr", PASSWORD)["AuthenticationResult"]
    access = tokens["AccessToken"]

    answer = idp.update_user_attributes(
        AccessToken=access,
        UserAttributes=[{"Name": "email", "Value": "attr@example.org"}, {"Name": "custom:plan", "Value": "pro"}],
    )
    assert answer["CodeDeliveryDetailsList"] == []
    mine = attributes(idp.get_user(AccessToken=access))
    assert (mine["email"], mine["email_verified"], mine["custom:plan"]) == ("attr@example.org", "false", "pro")

    delivery = idp.get_user_attribute_verification_code(AccessToken=access, AttributeName="email")["CodeDeliveryDetails"]
    assert (delivery["DeliveryMedium"], delivery["AttributeName"]) == ("EMAIL", "email")
    message = sent_to(dev, pool_id, "attr")[-1]
    assert (message["channel"], message["destination"]) == ("EMAIL", "attr@example.org")
    with pytest.raises(ClientError) as excinfo:
        idp.verify_user_attribute(AccessToken=access, AttributeName="email", Code=other_code(message["code"]))
    assert error_code(excinfo) == "CodeMismatchException"
    idp.verify_user_attribute(AccessToken=access, AttributeName="email", Code=message["code"])
    assert attributes(idp.get_user(AccessToken=access))["email_verified"] == "true"
    claims = verify_jwt(
        emulator_url, pool_id, password_auth(idp, pool_id, client_id, "attr", PASSWORD)["AuthenticationResult"]["IdToken"]
    )
    assert (claims["email"], claims["email_verified"], claims["custom:plan"]) == ("attr@example.org", True, "pro")

    for bad, code in [
        ([{"Name": "sub", "Value": "x"}], "InvalidParameterException"),
        ([{"Name": "no_such_attribute", "Value": "x"}], "InvalidParameterException"),
        ([{"Name": "email_verified", "Value": "true"}], "NotAuthorizedException"),
    ]:
        with pytest.raises(ClientError) as excinfo:
            idp.update_user_attributes(AccessToken=access, UserAttributes=bad)
        assert error_code(excinfo) == code, bad

    idp.delete_user_attributes(AccessToken=access, UserAttributeNames=["custom:plan"])
    idp.admin_delete_user_attributes(UserPoolId=pool_id, Username="attr", UserAttributeNames=["email"])
    left = attributes(idp.admin_get_user(UserPoolId=pool_id, Username="attr"))
    assert not {"custom:plan", "email", "email_verified"} & set(left), left


def test_auto_verified_email_gets_its_code_on_update(idp, dev):
    pool_id, client_id = pool_with_client(idp)
    idp.update_user_pool(UserPoolId=pool_id, MfaConfiguration="OPTIONAL", AutoVerifiedAttributes=["email"])
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["AutoVerifiedAttributes"] == ["email"]
    new_user(idp, pool_id, "auto", PASSWORD)
    access = password_auth(idp, pool_id, client_id, "auto", PASSWORD)["AuthenticationResult"]["AccessToken"]
    sent = idp.update_user_attributes(AccessToken=access, UserAttributes=[{"Name": "email", "Value": "auto@example.net"}])
    (delivery,) = sent["CodeDeliveryDetailsList"]
    assert delivery["AttributeName"] == "email"
    assert sent_to(dev, pool_id, "auto")[-1]["destination"] == "auto@example.net"


def test_groups_in_verified_tokens_and_boto3_paginators(idp, emulator_url):
    pool_id, client_id = pool_with_client(idp)
    new_user(idp, pool_id, "grouped", PASSWORD)
    names = [f"g{i:02d}" for i in range(7)]
    for i, name in enumerate(names):
        idp.create_group(UserPoolId=pool_id, GroupName=name, Precedence=10 - i, Description=f"group {i}")
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username="grouped", GroupName=name)
    idp.create_group(
        UserPoolId=pool_id, GroupName="ops", Precedence=0, RoleArn="arn:aws:iam::123456789012:role/ops"
    )
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="grouped", GroupName="ops")
    with pytest.raises(ClientError) as excinfo:
        idp.create_group(UserPoolId=pool_id, GroupName="ops")
    assert error_code(excinfo) == "GroupExistsException"

    tokens = password_auth(idp, pool_id, client_id, "grouped", PASSWORD)["AuthenticationResult"]
    expected = ["ops", *reversed(names)]
    for kind in ("AccessToken", "IdToken"):
        assert verify_jwt(emulator_url, pool_id, tokens[kind])["cognito:groups"] == expected
    claims = verify_jwt(emulator_url, pool_id, tokens["IdToken"])
    assert claims["cognito:preferred_role"] == "arn:aws:iam::123456789012:role/ops"

    pages = list(idp.get_paginator("list_groups").paginate(UserPoolId=pool_id, PaginationConfig={"PageSize": 3}))
    assert len(pages) == 3
    assert [g["GroupName"] for p in pages for g in p["Groups"]] == sorted([*names, "ops"])
    pages = idp.get_paginator("admin_list_groups_for_user").paginate(
        UserPoolId=pool_id, Username="grouped", PaginationConfig={"PageSize": 5}
    )
    assert sorted(g["GroupName"] for p in pages for g in p["Groups"]) == sorted([*names, "ops"])
    members = idp.get_paginator("list_users_in_group").paginate(UserPoolId=pool_id, GroupName="g03")
    assert [u["Username"] for p in members for u in p["Users"]] == ["grouped"]

    assert idp.update_group(UserPoolId=pool_id, GroupName="g00", Precedence=0)["Group"]["Description"] == "group 0"
    idp.admin_remove_user_from_group(UserPoolId=pool_id, Username="grouped", GroupName="ops")
    idp.delete_group(UserPoolId=pool_id, GroupName="g06")
    with pytest.raises(ClientError) as excinfo:
        idp.get_group(UserPoolId=pool_id, GroupName="g06")
    assert error_code(excinfo) == "ResourceNotFoundException"
    tokens = password_auth(idp, pool_id, client_id, "grouped", PASSWORD)["AuthenticationResult"]
    claims = verify_jwt(emulator_url, pool_id, tokens["AccessToken"])
    assert claims["cognito:groups"] == ["g00", "g05", "g04", "g03", "g02", "g01"]


def test_list_users_filters_and_the_paginator(idp):
    pool_id, _ = new_pool(idp)
    for i in range(12):
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username=f"user{i:02d}",
            UserAttributes=[{"Name": "email", "Value": f"user{i:02d}@{'a' if i % 2 else 'b'}.example.com"}],
            MessageAction="SUPPRESS",
        )
    idp.admin_disable_user(UserPoolId=pool_id, Username="user05")
    pages = list(idp.get_paginator("list_users").paginate(UserPoolId=pool_id, PaginationConfig={"PageSize": 5}))
    assert [len(p["Users"]) for p in pages] == [5, 5, 2]
    assert [u["Username"] for p in pages for u in p["Users"]] == [f"user{i:02d}" for i in range(12)]

    def usernames(filter_text):
        return [u["Username"] for u in idp.list_users(UserPoolId=pool_id, Filter=filter_text)["Users"]]

    assert usernames('email = "user03@a.example.com"') == ["user03"]
    assert usernames('username ^= "user1"') == ["user10", "user11"]
    assert usernames('status = "Disabled"') == ["user05"]
    assert len(usernames('cognito:user_status = "FORCE_CHANGE_PASSWORD"')) == 12
    with pytest.raises(ClientError) as excinfo:
        usernames('custom:anything = "x"')
    assert error_code(excinfo) == "InvalidParameterException"


def test_admin_reset_password_and_forgot_password(idp, dev):
    pool_id, client_id = pool_with_client(idp)
    new_user(idp, pool_id, "resetme", PASSWORD)
    idp.admin_reset_user_password(UserPoolId=pool_id, Username="resetme")
    assert idp.admin_get_user(UserPoolId=pool_id, Username="resetme")["UserStatus"] == "RESET_REQUIRED"
    with pytest.raises(ClientError) as excinfo:
        password_auth(idp, pool_id, client_id, "resetme", PASSWORD)
    assert error_code(excinfo) == "PasswordResetRequiredException"
    code = sent_to(dev, pool_id, "resetme")[-1]["code"]
    idp.confirm_forgot_password(ClientId=client_id, Username="resetme", ConfirmationCode=code, Password="Reset-Passw0rd!")
    assert idp.admin_get_user(UserPoolId=pool_id, Username="resetme")["UserStatus"] == "CONFIRMED"
    assert password_auth(idp, pool_id, client_id, "resetme", "Reset-Passw0rd!")["AuthenticationResult"]


def test_admin_sign_out_disable_and_delete(idp):
    pool_id, client_id = pool_with_client(idp)
    new_user(idp, pool_id, "leaver", PASSWORD)

    def refresh(token):
        return idp.admin_initiate_auth(
            UserPoolId=pool_id, ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token}
        )

    tokens = password_auth(idp, pool_id, client_id, "leaver", PASSWORD)["AuthenticationResult"]
    idp.admin_user_global_sign_out(UserPoolId=pool_id, Username="leaver")
    for attempt in (lambda: idp.get_user(AccessToken=tokens["AccessToken"]), lambda: refresh(tokens["RefreshToken"])):
        with pytest.raises(ClientError) as excinfo:
            attempt()
        assert error_code(excinfo) == "NotAuthorizedException"

    tokens = password_auth(idp, pool_id, client_id, "leaver", PASSWORD)["AuthenticationResult"]
    idp.admin_disable_user(UserPoolId=pool_id, Username="leaver")
    idp.admin_enable_user(UserPoolId=pool_id, Username="leaver")
    with pytest.raises(ClientError) as excinfo:
        idp.get_user(AccessToken=tokens["AccessToken"])
    assert error_code(excinfo) == "NotAuthorizedException"
    renewed = refresh(tokens["RefreshToken"])["AuthenticationResult"]["AccessToken"]
    assert idp.get_user(AccessToken=renewed)["Username"] == "leaver"

    idp.delete_user(AccessToken=renewed)
    with pytest.raises(ClientError) as excinfo:
        idp.admin_get_user(UserPoolId=pool_id, Username="leaver")
    assert error_code(excinfo) == "UserNotFoundException"


def test_admin_confirm_sign_up_and_resend_confirmation_code(idp, dev):
    pool_id, client_id = pool_with_client(idp)
    for name in ("byadmin", "bycode"):
        idp.sign_up(
            ClientId=client_id, Username=name, Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}]
        )
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="byadmin")
    assert idp.admin_get_user(UserPoolId=pool_id, Username="byadmin")["UserStatus"] == "CONFIRMED"
    delivery = idp.resend_confirmation_code(ClientId=client_id, Username="bycode")["CodeDeliveryDetails"]
    assert delivery["DeliveryMedium"] == "EMAIL"
    idp.confirm_sign_up(ClientId=client_id, Username="bycode", ConfirmationCode=sent_to(dev, pool_id, "bycode")[-1]["code"])
    with pytest.raises(ClientError) as excinfo:
        idp.resend_confirmation_code(ClientId=client_id, Username="bycode")
    assert error_code(excinfo) == "InvalidParameterException"


def test_update_user_pool_and_client(idp, emulator_url):
    pool_id, client_id = pool_with_client(idp)
    idp.update_user_pool(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        Policies={"PasswordPolicy": {"MinimumLength": 14, "RequireLowercase": True}},
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False},
    )
    described = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 14
    assert described["DeviceConfiguration"] == {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}
    assert described["MfaConfiguration"] == "OPTIONAL"
    idp.admin_create_user(UserPoolId=pool_id, Username="policed", MessageAction="SUPPRESS")
    with pytest.raises(ClientError) as excinfo:
        idp.admin_set_user_password(UserPoolId=pool_id, Username="policed", Password="Short-Pw1!", Permanent=True)
    assert error_code(excinfo) == "InvalidPasswordException"
    idp.admin_set_user_password(UserPoolId=pool_id, Username="policed", Password="only lowercase and long", Permanent=True)

    updated = idp.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=client_id,
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity=10,
        TokenValidityUnits={"AccessToken": "minutes"},
        PreventUserExistenceErrors="ENABLED",
    )["UserPoolClient"]
    assert (updated["AccessTokenValidity"], updated["TokenValidityUnits"]["AccessToken"]) == (10, "minutes")
    tokens = password_auth(idp, pool_id, client_id, "policed", "only lowercase and long")["AuthenticationResult"]
    assert tokens["ExpiresIn"] == 600
    claims = verify_jwt(emulator_url, pool_id, tokens["AccessToken"])
    assert claims["exp"] - claims["iat"] == 600
    with pytest.raises(ClientError) as excinfo:
        password_auth(idp, pool_id, client_id, "ghost", "Any-Passw0rd-At-All!")
    assert excinfo.value.response["Error"]["Message"] == "Incorrect username or password."

    # What an update leaves out goes back to its default (documented AWS behaviour).
    idp.update_user_pool(UserPoolId=pool_id)
    described = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["MfaConfiguration"] == "OFF"
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
    assert "DeviceConfiguration" not in described


def test_groups_and_filters_through_the_aws_cli(emulator_url, idp):
    pool_id, _ = new_pool(idp)
    name = f"cli-{uuid.uuid4().hex[:6]}"
    group = aws(emulator_url, "create-group", "--user-pool-id", pool_id, "--group-name", name, "--precedence", "3")["Group"]
    assert (group["GroupName"], group["Precedence"]) == (name, 3)
    aws(emulator_url, "admin-create-user", "--user-pool-id", pool_id, "--username", "cliuser", "--message-action", "SUPPRESS")
    aws(emulator_url, "admin-add-user-to-group", "--user-pool-id", pool_id, "--username", "cliuser", "--group-name", name)
    aws(
        emulator_url, "admin-update-user-attributes", "--user-pool-id", pool_id, "--username", "cliuser",
        "--user-attributes", "Name=phone_number,Value=+15555550166",
    )
    listed = aws(emulator_url, "admin-list-groups-for-user", "--user-pool-id", pool_id, "--username", "cliuser")["Groups"]
    assert [g["GroupName"] for g in listed] == [name]
    found = aws(emulator_url, "list-users", "--user-pool-id", pool_id, "--filter", 'phone_number = "+15555550166"')["Users"]
    assert [u["Username"] for u in found] == ["cliuser"]
    members = aws(emulator_url, "list-users-in-group", "--user-pool-id", pool_id, "--group-name", name)["Users"]
    assert [u["Username"] for u in members] == ["cliuser"]
