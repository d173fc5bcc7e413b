"""boto3, the aws CLI and plain HTTP against the emulator, expecting AWS's behaviour.

boto3 builds every request from the AWS service model and parses every answer
with it, so a member the emulator names or types wrongly fails here.
"""

import base64
import hashlib
import hmac
import json
import re
import subprocess
import urllib.error
import urllib.request
import uuid

import pytest
from botocore.exceptions import ClientError
from conftest import REPO, totp
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
BASE32_SECRET = re.compile(r"^[A-Z2-7]{32,}$")


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def other_code(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_jwt(emulator_url, pool_id, token):
    """RS256 signature against the pool's JWKS; returns the claims."""
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(b64url(header_b64))
    assert header["alg"] == "RS256"
    with urllib.request.urlopen(f"{emulator_url}{pool_id}/.well-known/jwks.json", timeout=10) as response:
        keys = json.load(response)["keys"]
    (jwk,) = [k for k in keys if k["kid"] == header["kid"]]
    public = rsa.RSAPublicNumbers(
        int.from_bytes(b64url(jwk["e"]), "big"), int.from_bytes(b64url(jwk["n"]), "big")
    ).public_key()
    public.verify(
        b64url(signature_b64),
        f"{header_b64}.{payload_b64}".encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    return json.loads(b64url(payload_b64))


def new_pool(idp, mfa="OPTIONAL", totp_enabled=True):
    name = f"boto3-{uuid.uuid4().hex[:8]}"
    pool_id = idp.create_user_pool(PoolName=name)["UserPool"]["Id"]
    if totp_enabled:
        idp.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            SoftwareTokenMfaConfiguration={"Enabled": True},
            MfaConfiguration=mfa,
        )
    return pool_id, name


def new_user(idp, pool_id, username, password):
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)


def password_auth(idp, pool_id, client_id, username, password, **extra):
    return idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password, **extra},
    )


def test_totp_helper_matches_rfc6238():
    # RFC 6238 appendix B, SHA-1, T = 59 and 1111111109 (last six of the eight digits).
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, 59) == "287082"
    assert totp(secret, 1111111109) == "081804"


def test_admin_walkthrough(idp, dev, emulator_url):
    """Seed-style set-up from scratch, then TOTP enrollment and sign-in, all through boto3."""
    pool_id, name = new_pool(idp)
    assert re.fullmatch(r"us-east-1_[0-9A-Za-z]+", pool_id), pool_id

    mfa = idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert mfa["MfaConfiguration"] == "OPTIONAL"
    assert mfa["SoftwareTokenMfaConfiguration"] == {"Enabled": True}

    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="walkthrough", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]
    client_id = client["ClientId"]
    assert client["UserPoolId"] == pool_id
    assert "ClientSecret" not in client

    described = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert (described["Id"], described["Name"], described["MfaConfiguration"]) == (pool_id, name, "OPTIONAL")
    described_client = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert described_client["ClientId"] == client_id
    assert described_client["ClientName"] == "walkthrough"
    assert sorted(described_client["ExplicitAuthFlows"]) == sorted(FLOWS)

    username, password = "walker", "Walk-the-Line-1!"
    created = idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[{"Name": "email", "Value": "walker@example.com"}],
        MessageAction="SUPPRESS",
    )["User"]
    assert created["Username"] == username
    assert created["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
    assert idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"] == "CONFIRMED"

    first = password_auth(idp, pool_id, client_id, username, password)
    assert "ChallengeName" not in first
    assert "Session" not in first
    tokens = first["AuthenticationResult"]
    assert tokens["TokenType"] == "Bearer"
    assert tokens["ExpiresIn"] > 0
    assert tokens["RefreshToken"]
    access = verify_jwt(emulator_url, pool_id, tokens["AccessToken"])
    assert access["username"] == username
    assert access["client_id"] == client_id
    assert access["token_use"] == "access"

    secret = idp.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
    assert BASE32_SECRET.match(secret), secret
    code = totp(secret, dev.now())
    with pytest.raises(ClientError) as excinfo:
        idp.verify_software_token(AccessToken=tokens["AccessToken"], UserCode=other_code(code))
    assert error_code(excinfo) == "EnableSoftwareTokenMFAException"
    verified = idp.verify_software_token(
        AccessToken=tokens["AccessToken"], UserCode=code, FriendlyDeviceName="boto3-phone"
    )
    assert verified["Status"] == "SUCCESS"

    idp.set_user_mfa_preference(
        AccessToken=tokens["AccessToken"],
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    sub = {a["Name"]: a["Value"] for a in user["UserAttributes"]}["sub"]
    assert access["sub"] == sub

    challenge = password_auth(idp, pool_id, client_id, username, password)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert challenge["Session"]
    assert challenge["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"] == "boto3-phone"
    assert "AuthenticationResult" not in challenge

    next_code = totp(secret, dev.advance(30))
    with pytest.raises(ClientError) as excinfo:
        idp.admin_respond_to_auth_challenge(
            UserPoolId=pool_id,
            ClientId=client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": other_code(next_code)},
        )
    assert error_code(excinfo) == "CodeMismatchException"

    # A fresh challenge: whether a session survives a wrong answer is not what this checks.
    challenge = password_auth(idp, pool_id, client_id, username, password)
    answered = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": next_code},
    )
    assert "ChallengeName" not in answered or answered["ChallengeName"] is None
    mfa_access = verify_jwt(emulator_url, pool_id, answered["AuthenticationResult"]["AccessToken"])
    assert (mfa_access["username"], mfa_access["sub"]) == (username, sub)

    listed = idp.list_users(UserPoolId=pool_id)["Users"]
    assert [(u["Username"], u["UserStatus"]) for u in listed] == [(username, "CONFIRMED")]

    idp.admin_delete_user(UserPoolId=pool_id, Username=username)
    with pytest.raises(ClientError) as excinfo:
        idp.admin_get_user(UserPoolId=pool_id, Username=username)
    assert error_code(excinfo) == "UserNotFoundException"
    assert idp.list_users(UserPoolId=pool_id)["Users"] == []


def test_wrong_password_and_unknown_user(idp):
    pool_id, _ = new_pool(idp)
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=FLOWS)[
        "UserPoolClient"
    ]["ClientId"]
    new_user(idp, pool_id, "wrong", "Right-Password-1!")
    with pytest.raises(ClientError) as excinfo:
        password_auth(idp, pool_id, client_id, "wrong", "Wrong-Password-1!")
    assert error_code(excinfo) == "NotAuthorizedException"
    assert excinfo.value.response["Error"]["Message"] == "Incorrect username or password."
    with pytest.raises(ClientError) as excinfo:
        password_auth(idp, pool_id, client_id, "nobody", "Whatever-1!")
    assert error_code(excinfo) == "UserNotFoundException"


def test_refresh_token_auth(idp, emulator_url):
    pool_id, _ = new_pool(idp)
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=FLOWS)[
        "UserPoolClient"
    ]["ClientId"]
    new_user(idp, pool_id, "refresher", "Refresh-Me-1!")
    tokens = password_auth(idp, pool_id, client_id, "refresher", "Refresh-Me-1!")["AuthenticationResult"]
    refreshed = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]
    assert refreshed["AccessToken"] != tokens["AccessToken"]
    claims = verify_jwt(emulator_url, pool_id, refreshed["AccessToken"])
    assert claims["username"] == "refresher"
    with pytest.raises(ClientError) as excinfo:
        idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"][:-4] + "AAAA"},
        )
    assert error_code(excinfo) == "NotAuthorizedException"


def test_client_secret_requires_secret_hash(idp):
    pool_id, _ = new_pool(idp)
    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="with-secret", ExplicitAuthFlows=FLOWS, GenerateSecret=True
    )["UserPoolClient"]
    assert client["ClientSecret"]
    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])["UserPoolClient"]
    assert described["ClientSecret"] == client["ClientSecret"]
    new_user(idp, pool_id, "hashed", "Hash-Brown-1!")

    def secret_hash(key, username):
        digest = hmac.new(key.encode(), (username + client["ClientId"]).encode(), hashlib.sha256).digest()
        return base64.b64encode(digest).decode()

    with pytest.raises(ClientError) as excinfo:
        password_auth(idp, pool_id, client["ClientId"], "hashed", "Hash-Brown-1!")
    assert error_code(excinfo) == "NotAuthorizedException"
    with pytest.raises(ClientError) as excinfo:
        password_auth(
            idp, pool_id, client["ClientId"], "hashed", "Hash-Brown-1!",
            SECRET_HASH=secret_hash(client["ClientSecret"] + "x", "hashed"),
        )
    assert error_code(excinfo) == "NotAuthorizedException"
    ok = password_auth(
        idp, pool_id, client["ClientId"], "hashed", "Hash-Brown-1!",
        SECRET_HASH=secret_hash(client["ClientSecret"], "hashed"),
    )
    assert ok["AuthenticationResult"]["AccessToken"]


def test_flow_not_allowed_on_client(idp):
    pool_id, _ = new_pool(idp)
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="srp-only", ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"]
    )["UserPoolClient"]["ClientId"]
    new_user(idp, pool_id, "srponly", "Srp-Only-1!")
    with pytest.raises(ClientError) as excinfo:
        password_auth(idp, pool_id, client_id, "srponly", "Srp-Only-1!")
    assert error_code(excinfo) == "InvalidParameterException"


def test_software_token_refused_when_pool_has_no_totp(idp):
    pool_id, _ = new_pool(idp, totp_enabled=False)
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=FLOWS)[
        "UserPoolClient"
    ]["ClientId"]
    new_user(idp, pool_id, "nototp", "No-Totp-Here-1!")
    tokens = password_auth(idp, pool_id, client_id, "nototp", "No-Totp-Here-1!")["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        idp.associate_software_token(AccessToken=tokens["AccessToken"])
    assert error_code(excinfo) == "SoftwareTokenMFANotFoundException"


def test_unknown_pool_and_client(idp):
    with pytest.raises(ClientError) as excinfo:
        idp.describe_user_pool(UserPoolId="us-east-1_DoesNotExist")
    assert error_code(excinfo) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(
            ClientId="nosuchclient0000000000000",
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "x", "SRP_A": "ab" * 64},
        )
    assert error_code(excinfo) == "ResourceNotFoundException"


def test_prevent_user_existence_errors_per_client(idp):
    """On AWS this is a client setting: ENABLED hides unknown users behind the wrong-password error."""
    pool_id, _ = new_pool(idp)
    hiding = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="hiding", ExplicitAuthFlows=FLOWS, PreventUserExistenceErrors="ENABLED"
    )["UserPoolClient"]
    assert hiding["PreventUserExistenceErrors"] == "ENABLED"
    with pytest.raises(ClientError) as excinfo:
        password_auth(idp, pool_id, hiding["ClientId"], "ghost", "Any-Password-1!")
    assert error_code(excinfo) == "NotAuthorizedException"
    assert excinfo.value.response["Error"]["Message"] == "Incorrect username or password."


def test_email_as_username(idp):
    """UsernameAttributes ["email"]: created and signed in by email; SRP names the real username."""
    pool_id = idp.create_user_pool(PoolName=f"alias-{uuid.uuid4().hex[:8]}", UsernameAttributes=["email"])[
        "UserPool"
    ]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=FLOWS)[
        "UserPoolClient"
    ]["ClientId"]
    created = idp.admin_create_user(UserPoolId=pool_id, Username="alias@example.com", MessageAction="SUPPRESS")["User"]
    username = created["Username"]
    assert username != "alias@example.com"
    assert str(uuid.UUID(username)) == username
    assert {"Name": "email", "Value": "alias@example.com"} in created["Attributes"]
    idp.admin_set_user_password(UserPoolId=pool_id, Username="alias@example.com", Password="Alias-Pass-1!", Permanent=True)
    assert idp.admin_get_user(UserPoolId=pool_id, Username="alias@example.com")["Username"] == username

    challenge = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": "alias@example.com", "SRP_A": "ab" * 192},
    )
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    parameters = challenge["ChallengeParameters"]
    assert set(parameters) >= {"SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP"}
    assert parameters["USER_ID_FOR_SRP"] == username
    tokens = password_auth(idp, pool_id, client_id, "alias@example.com", "Alias-Pass-1!")["AuthenticationResult"]
    assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == username


def test_email_as_username_username_is_sub(idp):
    pool_id = idp.create_user_pool(PoolName=f"alias-{uuid.uuid4().hex[:8]}", UsernameAttributes=["email"])[
        "UserPool"
    ]["Id"]
    created = idp.admin_create_user(UserPoolId=pool_id, Username="sub@example.com", MessageAction="SUPPRESS")["User"]
    attributes = {a["Name"]: a["Value"] for a in created["Attributes"]}
    assert created["Username"] == attributes["sub"]


def test_email_otp_challenge(idp, dev):
    """EMAIL_OTP (identity-js has no support for it): the code from the outbox signs in."""
    pool_id, _ = new_pool(idp, totp_enabled=False)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        EmailMfaConfiguration={"Message": "Your code is {####}", "Subject": "Your code"},
    )
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=FLOWS)[
        "UserPoolClient"
    ]["ClientId"]
    new_user(idp, pool_id, "mailed", "Mail-Me-1!")
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="mailed", EmailMfaSettings={"Enabled": True, "PreferredMfa": True}
    )

    def challenge():
        answer = password_auth(idp, pool_id, client_id, "mailed", "Mail-Me-1!")
        assert answer["ChallengeName"] == "EMAIL_OTP"
        assert answer["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
        sent = [m for m in dev.messages() if m["poolId"] == pool_id and m["username"] == "mailed"]
        assert sent[-1]["channel"] == "EMAIL"
        return answer["Session"], sent[-1]["code"]

    def respond(session, code):
        return idp.admin_respond_to_auth_challenge(
            UserPoolId=pool_id,
            ClientId=client_id,
            ChallengeName="EMAIL_OTP",
            Session=session,
            ChallengeResponses={"USERNAME": "mailed", "EMAIL_OTP_CODE": code},
        )

    session, code = challenge()
    with pytest.raises(ClientError) as excinfo:
        respond(session, other_code(code))
    assert error_code(excinfo) == "CodeMismatchException"
    session, code = challenge()
    assert respond(session, code)["AuthenticationResult"]["AccessToken"]


# ---- the aws CLI ----------------------------------------------------------------------------


def aws(emulator_url, *args):
    cli = REPO / "target" / "venv" / "bin" / "aws"
    result = subprocess.run(
        [str(cli), "cognito-idp", *args, "--endpoint-url", emulator_url, "--region", "us-east-1", "--output", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else None


def test_aws_cli(emulator_url):
    name = f"cli-{uuid.uuid4().hex[:8]}"
    pool = aws(emulator_url, "create-user-pool", "--pool-name", name)["UserPool"]
    assert pool["Name"] == name
    user = aws(
        emulator_url, "admin-create-user",
        "--user-pool-id", pool["Id"],
        "--username", "cli-user",
        "--user-attributes", "Name=email,Value=cli@example.com",
        "--message-action", "SUPPRESS",
    )["User"]
    assert user["Username"] == "cli-user"
    assert {"Name": "email", "Value": "cli@example.com"} in user["Attributes"]
    listed = aws(emulator_url, "list-users", "--user-pool-id", pool["Id"])["Users"]
    assert [u["Username"] for u in listed] == ["cli-user"]
    assert listed[0]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert listed[0]["Enabled"] is True


# ---- plain HTTP: malformed requests and CORS -------------------------------------------------


def raw(emulator_url, target, body, method="POST", headers=None):
    request = urllib.request.Request(
        emulator_url,
        data=body if isinstance(body, bytes) or body is None else json.dumps(body).encode(),
        method=method,
        headers={
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": f"AWSCognitoIdentityProviderService.{target}",
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def assert_error(answer, error_type):
    status, headers, body = answer
    assert status == 400, (status, body)
    assert json.loads(body)["__type"] == error_type, body
    header = {k.lower(): v for k, v in headers.items()}["x-amzn-errortype"]
    assert header.split(":")[0].split("#")[-1] == error_type


def test_unknown_operation(emulator_url):
    answer = raw(emulator_url, "NoSuchOperation", {})
    assert_error(answer, "UnknownOperationException")
    assert {k.lower() for k in answer[1]} >= {"x-amzn-requestid"}


def test_malformed_json(emulator_url):
    assert_error(raw(emulator_url, "InitiateAuth", b'{"ClientId": '), "SerializationException")


def test_wrong_member_type(emulator_url):
    assert_error(
        raw(emulator_url, "InitiateAuth", {"ClientId": ["not", "a", "string"], "AuthFlow": "USER_SRP_AUTH"}),
        "SerializationException",
    )


def test_missing_member(emulator_url):
    assert_error(raw(emulator_url, "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH"}), "InvalidParameterException")


def wrong_type(shape):
    """A JSON value of another type than the member's (a number for a string, a string otherwise)."""
    return 12345 if shape.type_name == "string" else "not-a-" + shape.type_name


def test_every_operation_refuses_missing_and_mistyped_members(emulator_url):
    """For each operation the emulator claims: no members → InvalidParameterException; every required
    member of the wrong JSON type → SerializationException; the type in body and x-amzn-ErrorType."""
    from test_model import MODEL, OPERATIONS

    checked = 0
    for op_name in OPERATIONS:
        shape = MODEL.operation_model(op_name).input_shape
        if not shape.required_members:
            continue
        mistyped = {name: wrong_type(shape.members[name]) for name in shape.required_members}
        try:
            assert_error(raw(emulator_url, op_name, {}), "InvalidParameterException")
            assert_error(raw(emulator_url, op_name, mistyped), "SerializationException")
        except AssertionError as err:
            raise AssertionError(f"{op_name}: {err}") from err
        checked += 1
    assert checked >= 50


def test_oversized_body_gets_its_413_while_the_client_is_still_sending(emulator_url):
    """urllib writes the whole 8 MiB before it reads: the 413 must still arrive, not a broken pipe."""
    for _ in range(2):
        status, headers, body = raw(emulator_url, "InitiateAuth", b"a" * (8 * 1024 * 1024))
        assert status == 413, (status, body[:200])
        assert json.loads(body)["__type"] == "SerializationException"
        assert {k.lower(): v for k, v in headers.items()}["x-amzn-errortype"] == "SerializationException"


def test_cors_preflight_and_error_headers(emulator_url):
    origin = "http://127.0.0.1:8080"
    status, headers, _ = raw(
        emulator_url,
        "InitiateAuth",
        None,
        method="OPTIONS",
        headers={
            "origin": origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type,x-amz-target,x-amz-user-agent,authorization",
        },
    )
    assert status in (200, 204)
    headers = {k.lower(): v for k, v in headers.items()}
    assert headers["access-control-allow-origin"] in ("*", origin)
    assert "POST" in headers["access-control-allow-methods"].upper()
    allowed = {h.strip().lower() for h in headers["access-control-allow-headers"].split(",")}
    assert allowed == {"*"} or {"content-type", "x-amz-target", "x-amz-user-agent", "authorization"} <= allowed

    status, headers, _ = raw(emulator_url, "NoSuchOperation", {}, headers={"origin": origin})
    assert status == 400
    headers = {k.lower(): v for k, v in headers.items()}
    assert headers["access-control-allow-origin"] in ("*", origin)
    exposed = {h.strip().lower() for h in headers["access-control-expose-headers"].split(",")}
    assert {"x-amzn-requestid", "x-amzn-errortype"} <= exposed


def test_sign_up_confirm_and_sign_out(idp, dev):
    """Self-service sign-up with the emailed code, then GetUser, GlobalSignOut and RevokeToken."""
    pool_id, _ = new_pool(idp)
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=FLOWS)[
        "UserPoolClient"
    ]["ClientId"]
    username, password = "signer", "Sign-Me-Up-1!"
    signed = idp.sign_up(
        ClientId=client_id,
        Username=username,
        Password=password,
        UserAttributes=[{"Name": "email", "Value": "signer@example.com"}],
    )
    assert signed["UserConfirmed"] is False
    assert signed["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"] == "UNCONFIRMED"
    with pytest.raises(ClientError) as excinfo:
        password_auth(idp, pool_id, client_id, username, password)
    assert error_code(excinfo) == "UserNotConfirmedException"

    (message,) = [m for m in dev.messages() if m["poolId"] == pool_id and m["username"] == username]
    assert (message["channel"], message["destination"]) == ("EMAIL", "signer@example.com")
    with pytest.raises(ClientError) as excinfo:
        idp.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=other_code(message["code"]))
    assert error_code(excinfo) == "CodeMismatchException"
    idp.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=message["code"])
    assert idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"] == "CONFIRMED"

    tokens = password_auth(idp, pool_id, client_id, username, password)["AuthenticationResult"]
    me = idp.get_user(AccessToken=tokens["AccessToken"])
    assert me["Username"] == username
    attributes = {a["Name"]: a["Value"] for a in me["UserAttributes"]}
    assert attributes["email"] == "signer@example.com"
    assert attributes["sub"] == signed["UserSub"]

    idp.global_sign_out(AccessToken=tokens["AccessToken"])
    with pytest.raises(ClientError) as excinfo:
        idp.get_user(AccessToken=tokens["AccessToken"])
    assert error_code(excinfo) == "NotAuthorizedException"

    tokens = password_auth(idp, pool_id, client_id, username, password)["AuthenticationResult"]
    idp.revoke_token(Token=tokens["RefreshToken"], ClientId=client_id)
    with pytest.raises(ClientError) as excinfo:
        idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )
    assert error_code(excinfo) == "NotAuthorizedException"


def test_admin_mfa_preference(idp):
    """AdminSetUserMFAPreference needs a verified token for TOTP; SMS works with a phone number."""
    pool_id, _ = new_pool(idp)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
        SmsMfaConfiguration={
            "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/cognito-sms", "ExternalId": "t"}
        },
    )
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="phoned",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550199"}],
        MessageAction="SUPPRESS",
    )
    with pytest.raises(ClientError) as excinfo:
        idp.admin_set_user_mfa_preference(
            UserPoolId=pool_id,
            Username="phoned",
            SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
        )
    assert error_code(excinfo) == "InvalidParameterException"
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="phoned", SMSMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    user = idp.admin_get_user(UserPoolId=pool_id, Username="phoned")
    assert user["UserMFASettingList"] == ["SMS_MFA"]
    assert user["PreferredMfaSetting"] == "SMS_MFA"


def test_access_token_expires_and_refresh_renews_it(idp, dev):
    """Last in the file: it moves the emulator clock an hour on."""
    pool_id, _ = new_pool(idp)
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=FLOWS)[
        "UserPoolClient"
    ]["ClientId"]
    new_user(idp, pool_id, "expiring", "Expire-Soon-1!")
    tokens = password_auth(idp, pool_id, client_id, "expiring", "Expire-Soon-1!")["AuthenticationResult"]
    assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "expiring"
    dev.advance(tokens["ExpiresIn"] + 60)
    with pytest.raises(ClientError) as excinfo:
        idp.get_user(AccessToken=tokens["AccessToken"])
    assert error_code(excinfo) == "NotAuthorizedException"
    assert "expired" in excinfo.value.response["Error"]["Message"].lower()
    refreshed = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]
    assert "RefreshToken" not in refreshed
    assert idp.get_user(AccessToken=refreshed["AccessToken"])["Username"] == "expiring"
