"""Writes the small seed corpora in fuzz/seeds/ (run once; the output is committed)."""
import pathlib

root = pathlib.Path(__file__).resolve().parent
def write(target, name, data):
    d = root / "seeds" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)

# kernel: selector byte (time shift), then pool \x1f user \x1f password \x1f salt hex \x1f SRP_B hex \x1f SECRET_BLOCK
B = "a1b2c3d4e5f60718293a4b5c6d7e8f90" * 24
write("kernel", "claim", bytes([0]) + f"AbC123\x1ffuzzuser\x1fCorrect horse 1!\x1f8f0a3c\x1f{B}\x1fc2VjcmV0IGJsb2Nr".encode())
write("kernel", "b_zero", bytes([3]) + b"AbC123\x1fu\x1fpw\x1f00ff\x1f000\x1fAAAA")
write("kernel", "totp", bytes([40]) + b"JBSWY3DPEHPK3PXP")

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
