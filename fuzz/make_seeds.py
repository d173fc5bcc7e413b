"""Writes the small seed corpora in fuzz/seeds/ from tests/fixtures (run once; the output is committed)."""
import json, os, pathlib

root = pathlib.Path(__file__).resolve().parent
fx = {p.stem: p.read_bytes().strip() for p in (root.parent / "tests" / "fixtures").glob("*.json")}
verifier = json.dumps({"ChallengeName": "PASSWORD_VERIFIER", "Session": "s1", "ChallengeParameters": {
    "SALT": "8f0a3c", "SRP_B": "a1b2c3d4e5f60718293a4b5c6d7e8f90" * 12, "SECRET_BLOCK": "c2VjcmV0IGJsb2Nr",
    "USER_ID_FOR_SRP": "fuzzuser", "USERNAME": "fuzzuser"}}).encode()
err = b'{"__type":"com.amazonaws#NotAuthorizedException:x","message":"Incorrect username or password."}'

def write(target, name, data):
    d = root / "seeds" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)

# wire: selector byte, header, NUL, body
for i, (k, v) in enumerate(sorted(fx.items())):
    write("wire", k, bytes([i % 5]) + b"\0" + v)
write("wire", "error", bytes([5]) + b"NotAuthorizedException\0" + err)
write("wire", "error_html", bytes([11]) + b"\0<html>502 Bad Gateway</html>")

# flow: choices, then 0xFF-separated answers (kind byte + body)
A = lambda body, kind=0: b"\xff" + bytes([kind]) + body
chains = {
    "totp": [verifier, fx["software_token_mfa"], fx["tokens"], fx["get_user"]],
    "setup": [verifier, fx["mfa_setup"], fx["associate_session"], fx["verify_session"], fx["tokens"]],
    "select": [verifier, fx["select_mfa_type"], fx["software_token_mfa"], fx["tokens"]],
    "newpw": [verifier, fx["new_password_required"], fx["tokens"]],
    "sms": [verifier, fx["sms_mfa"], fx["tokens"], fx["refresh"]],
    "email": [verifier, fx["email_otp"], fx["tokens"], b"{}"],
    "throttle": [b'{"__type":"TooManyRequestsException"}', verifier, fx["tokens"]],
}
for name, answers in chains.items():
    kinds = {"throttle": [10, 0, 0]}.get(name, [0] * len(answers))
    data = bytes([0, 0, 1, 2, 3, 4, 5, 6])
    for body, kind in zip(answers, kinds):
        data += A(body, kind)
    write("flow", name, data)
write("flow", "error", bytes([1]) + A(err, 9))

# otpauth_qr: option byte, then secret \x1f issuer \x1f account \x1f dark \x1f light \x1f title
write("otpauth_qr", "basic", b"\x01JBSWY3DPEHPK3PXP\x1fExample Co\x1falice@example.com")
write("otpauth_qr", "colours", b"\x06JBSWY3DPEHPK3PXP\x1f\x1fbob\x1f#123\x1fwhite\x1fScan <me> & \"go\"")
write("otpauth_qr", "unicode", "\x03jbsw y3dp ehpk 3pxp====\x1fJörg & Co\x1fjörg+1@exämple.com".encode())

# dispatch: selector byte (operation index, 200+ raw target, 240+ none), then the body
ops = ["InitiateAuth", "RespondToAuthChallenge", "AssociateSoftwareToken", "VerifySoftwareToken",
       "SetUserMFAPreference", "GetUser", "GlobalSignOut", "RevokeToken"]
bodies = {
    "InitiateAuth": '{"AuthFlow":"USER_SRP_AUTH","ClientId":"$C","AuthParameters":{"USERNAME":"plain","SRP_A":"abcdef0123"}}',
    "RespondToAuthChallenge": '{"ChallengeName":"PASSWORD_VERIFIER","ClientId":"$C","Session":"x","ChallengeResponses":{"USERNAME":"plain"}}',
    "AssociateSoftwareToken": '{"AccessToken":"$AT"}',
    "VerifySoftwareToken": '{"AccessToken":"$AT","UserCode":"123456","FriendlyDeviceName":"d"}',
    "SetUserMFAPreference": '{"AccessToken":"$AT","SoftwareTokenMfaSettings":{"Enabled":true,"PreferredMfa":true}}',
    "GetUser": '{"AccessToken":"$AT"}',
    "GlobalSignOut": '{"AccessToken":"$AT"}',
    "RevokeToken": '{"Token":"$RT","ClientId":"$C"}',
}
for i, op in enumerate(ops):
    write("dispatch", op, bytes([i]) + bodies[op].encode())
write("dispatch", "raw_target", bytes([200]) + b"AWSCognitoIdentityProviderService.AdminGetUser\n" + b'{"UserPoolId":"$P","Username":"totp"}')
write("dispatch", "no_target", bytes([250]) + b"{}")
