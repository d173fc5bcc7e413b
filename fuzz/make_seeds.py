"""Writes the small seed corpora in fuzz/seeds/ (run once; the output is committed)."""
import pathlib

root = pathlib.Path(__file__).resolve().parent
def write(target, name, data):
    d = root / "seeds" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)

# srp: selector byte (time shift), then pool \x1f user \x1f password \x1f salt hex \x1f SRP_B hex \x1f SECRET_BLOCK
B = "a1b2c3d4e5f60718293a4b5c6d7e8f90" * 24
write("srp", "claim", bytes([0]) + f"AbC123\x1ffuzzuser\x1fCorrect horse 1!\x1f8f0a3c\x1f{B}\x1fc2VjcmV0IGJsb2Nr".encode())
write("srp", "b_zero", bytes([3]) + b"AbC123\x1fu\x1fpw\x1f00ff\x1f000\x1fAAAA")
write("srp", "totp", bytes([40]) + b"JBSWY3DPEHPK3PXP")

# otpauth_qr: option byte, then secret \x1f issuer \x1f account \x1f dark \x1f light \x1f title
write("otpauth_qr", "basic", b"\x01JBSWY3DPEHPK3PXP\x1fExample Co\x1falice@example.com")
write("otpauth_qr", "colours", b"\x06JBSWY3DPEHPK3PXP\x1f\x1fbob\x1f#123\x1fwhite\x1fScan <me> & \"go\"")
write("otpauth_qr", "unicode", "\x03jbsw y3dp ehpk 3pxp====\x1fJörg & Co\x1fjörg+1@exämple.com".encode())

# dispatch: selector byte (operation index in OPERATIONS of emulator/src/ops/mod.rs, 200+ raw target,
# 240+ none), then the body. $AT/$RT/$P/$C/$G/$D: access token, refresh token, pool id, client id, group, device key.
import re
mod_rs = (root.parent / "emulator" / "src" / "ops" / "mod.rs").read_text()
ops = re.findall(r'^    "(\w+)",$', mod_rs.split("pub const OPERATIONS")[1].split("];")[0], re.M)
user = '"UserPoolId":"$P","Username":"plain"'
bodies = {
    "InitiateAuth": '{"AuthFlow":"USER_SRP_AUTH","ClientId":"$C","AuthParameters":{"USERNAME":"plain","SRP_A":"abcdef0123"}}',
    "RespondToAuthChallenge": '{"ChallengeName":"PASSWORD_VERIFIER","ClientId":"$C","Session":"x","ChallengeResponses":{"USERNAME":"plain"}}',
    "AssociateSoftwareToken": '{"AccessToken":"$AT"}',
    "VerifySoftwareToken": '{"AccessToken":"$AT","UserCode":"123456","FriendlyDeviceName":"d"}',
    "SetUserMFAPreference": '{"AccessToken":"$AT","SoftwareTokenMfaSettings":{"Enabled":true,"PreferredMfa":true}}',
    "GetUser": '{"AccessToken":"$AT"}',
    "GlobalSignOut": '{"AccessToken":"$AT"}',
    "RevokeToken": '{"Token":"$RT","ClientId":"$C"}',
    "UpdateUserAttributes": '{"AccessToken":"$AT","UserAttributes":[{"Name":"email","Value":"new@example.com"},{"Name":"custom:x","Value":"1"}]}',
    "DeleteUserAttributes": '{"AccessToken":"$AT","UserAttributeNames":["phone_number","custom:x"]}',
    "GetUserAttributeVerificationCode": '{"AccessToken":"$AT","AttributeName":"email"}',
    "VerifyUserAttribute": '{"AccessToken":"$AT","AttributeName":"email","Code":"123456"}',
    "DeleteUser": '{"AccessToken":"$AT"}',
    "ResendConfirmationCode": '{"ClientId":"$C","Username":"plain"}',
    "AdminUpdateUserAttributes": '{' + user + ',"UserAttributes":[{"Name":"phone_number","Value":"+15555550199"},{"Name":"phone_number_verified","Value":"true"}]}',
    "AdminDeleteUserAttributes": '{' + user + ',"UserAttributeNames":["email"]}',
    "AdminUserGlobalSignOut": '{' + user + '}',
    "AdminResetUserPassword": '{' + user + '}',
    "AdminConfirmSignUp": '{' + user + '}',
    "CreateGroup": '{"UserPoolId":"$P","GroupName":"new","Precedence":1,"RoleArn":"arn:aws:iam::123456789012:role/r","Description":"d"}',
    "GetGroup": '{"UserPoolId":"$P","GroupName":"$G"}',
    "UpdateGroup": '{"UserPoolId":"$P","GroupName":"$G","Precedence":7}',
    "DeleteGroup": '{"UserPoolId":"$P","GroupName":"$G"}',
    "ListGroups": '{"UserPoolId":"$P","Limit":1,"NextToken":"ZW11MTph"}',
    "AdminAddUserToGroup": '{' + user + ',"GroupName":"$G"}',
    "AdminRemoveUserFromGroup": '{' + user + ',"GroupName":"$G"}',
    "AdminListGroupsForUser": '{' + user + ',"Limit":60}',
    "ListUsersInGroup": '{"UserPoolId":"$P","GroupName":"$G","Limit":2}',
    "UpdateUserPool": '{"UserPoolId":"$P","MfaConfiguration":"OPTIONAL","Policies":{"PasswordPolicy":{"MinimumLength":10}},"DeviceConfiguration":{"ChallengeRequiredOnNewDevice":true},"AutoVerifiedAttributes":["email"]}',
    "UpdateUserPoolClient": '{"UserPoolId":"$P","ClientId":"$C","AccessTokenValidity":5,"TokenValidityUnits":{"AccessToken":"minutes"},"PreventUserExistenceErrors":"ENABLED","ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH"]}',
    "ListUsers": '{"UserPoolId":"$P","Filter":"email ^= \\"pl\\"","Limit":3,"AttributesToGet":["email"]}',
    "ConfirmDevice": '{"AccessToken":"$AT","DeviceKey":"$D","DeviceSecretVerifierConfig":{"PasswordVerifier":"AgM=","Salt":"AQID"},"DeviceName":"fuzz"}',
    "UpdateDeviceStatus": '{"AccessToken":"$AT","DeviceKey":"$D","DeviceRememberedStatus":"remembered"}',
    "GetDevice": '{"AccessToken":"$AT","DeviceKey":"$D"}',
    "ListDevices": '{"AccessToken":"$AT","Limit":1,"PaginationToken":"ZW11MTph"}',
    "ForgetDevice": '{"AccessToken":"$AT","DeviceKey":"$D"}',
    "AdminGetDevice": '{' + user + ',"DeviceKey":"$D"}',
    "AdminListDevices": '{' + user + ',"Limit":60}',
    "AdminUpdateDeviceStatus": '{' + user + ',"DeviceKey":"$D","DeviceRememberedStatus":"not_remembered"}',
    "AdminForgetDevice": '{' + user + ',"DeviceKey":"$D"}',
}
for op, body in bodies.items():
    write("dispatch", op, bytes([ops.index(op)]) + body.encode())
write("dispatch", "RespondToAuthChallenge_device", bytes([ops.index("RespondToAuthChallenge")])
      + b'{"ChallengeName":"DEVICE_SRP_AUTH","ClientId":"$C","Session":"x","ChallengeResponses":{"USERNAME":"plain","DEVICE_KEY":"$D","SRP_A":"abcdef"}}')
write("dispatch", "raw_target", bytes([200]) + b"AWSCognitoIdentityProviderService.AdminGetUser\n" + b'{"UserPoolId":"$P","Username":"totp"}')
write("dispatch", "no_target", bytes([250]) + b"{}")

# flow: choices, then answers separated by 0xff (first byte of each: 0 = HTTP 200, 9 = 400, 14 = cut, ...)
PV = ('{"ChallengeName":"PASSWORD_VERIFIER","Session":"s1","ChallengeParameters":{"SALT":"8f0a3c","SRP_B":"'
      + B + '","SECRET_BLOCK":"c2VjcmV0IGJsb2Nr","USER_ID_FOR_SRP":"fuzz-user"}}')
TOKENS = '{"AuthenticationResult":{"AccessToken":"a","IdToken":"i","RefreshToken":"r","ExpiresIn":3600,"TokenType":"Bearer"}}'
def flow(name, choices, *answers):
    write("flow", name, bytes(choices) + b"".join(b"\xff" + bytes([k]) + a.encode() for k, a in answers))
flow("tokens", [0, 0], (0, PV), (0, TOKENS))
flow("totp", [1, 1, 2], (0, PV), (0, '{"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"s2","ChallengeParameters":{"FRIENDLY_DEVICE_NAME":"p"}}'), (0, TOKENS))
flow("mfa_setup", [0, 0, 5, 5], (0, PV), (0, '{"ChallengeName":"MFA_SETUP","Session":"s2","ChallengeParameters":{"MFAS_CAN_SETUP":"[\\"SOFTWARE_TOKEN_MFA\\"]"}}'),
     (0, '{"SecretCode":"JBSWY3DPEHPK3PXP","Session":"s3"}'), (0, '{"Status":"SUCCESS","Session":"s4"}'), (0, TOKENS))
flow("select", [0, 0, 4, 1], (0, PV), (0, '{"ChallengeName":"SELECT_MFA_TYPE","Session":"s2","ChallengeParameters":{"MFAS_CAN_CHOOSE":"[\\"SMS_MFA\\",\\"SOFTWARE_TOKEN_MFA\\"]"}}'),
     (0, '{"ChallengeName":"SMS_MFA","Session":"s3","ChallengeParameters":{"CODE_DELIVERY_DESTINATION":"+1***"}}'), (0, TOKENS))
flow("new_password", [0, 0, 6], (0, PV), (0, '{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"s2","ChallengeParameters":{"requiredAttributes":"[\\"userAttributes.name\\"]","userAttributes":"{\\"email\\":\\"e\\"}"}}'), (0, TOKENS))
flow("errors", [0, 0], (10, '{"__type":"TooManyRequestsException"}'), (11, '<html>'), (9, '{"__type":"NotAuthorizedException","message":"no"}'),
     (0, '{"SecretCode":"JBSWY3DP"}'), (0, '{"Status":"ERROR"}'), (0, '{"Username":"u","UserAttributes":[{"Name":"e","Value":"v"}],"UserMFASettingList":["SOFTWARE_TOKEN_MFA"]}'))
