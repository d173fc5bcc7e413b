#!/usr/bin/env python3
"""Provision a running ministack with the pools of emulator/seed/test.json.

The browser suite runs against ministack as a second, independent Cognito
server. This script creates every pool, client and user of the test seed that
ministack can represent, then prints ONE line of JSON on stdout, the
COGNITO_TEST_CONFIG the harness passes to the browser tests:

    {"backend": "ministack", "endpoint": URL,
     "pools": {KEY: {"poolId": ..., "clients": {KEY: {"clientId": ..., "clientSecret"?: ...}}}},
     "missingUsers": [{"pool": KEY, "username": NAME, "reason": ...}],
     "renamedUsers": {KEY: {SEED_USERNAME: MINISTACK_USERNAME}}}

Pool and client ids (and client secrets) are ministack's own: it cannot be
given ids. In a pool with usernameAttributes ["email"] the user is created by
email, as on AWS, and ministack picks the username (a UUID, not the seed's):
renamedUsers maps the seed's name to the real one. Users it cannot represent are listed in missingUsers with the
reason, so a test that needs one reports "not run" instead of failing or
silently passing. Progress and errors go to stderr; exit status 1 on failure.

Usage: setup.py --endpoint http://127.0.0.1:PORT/ [--seed emulator/seed/test.json]
"""

import argparse
import json
import pathlib
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

REPO = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_SEED = REPO / "emulator" / "seed" / "test.json"

# ministack checks SigV4 with AUTH=true; these are the credentials it accepts.
ACCESS_KEY = "test"
SECRET_KEY = "test"

# Why a seeded user cannot exist on ministack. Kept as data so the README and
# the test reports say the same thing.
REASON_TOTP_SECRET = (
    "has a fixed totpSecret; ministack generates the secret in AssociateSoftwareToken "
    "and cannot be given one"
)
REASON_SMS = "SMS MFA enabled; ministack never issues an SMS_MFA challenge (and accepts any SMS code)"
REASON_EMAIL = "email MFA enabled; ministack never issues an EMAIL_OTP challenge"


def log(message):
    print(f"ministack-setup: {message}", file=sys.stderr)


def cognito_client(endpoint):
    return boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"max_attempts": 1}),
    )


def mfa_enabled(user, kind):
    return (user.get("mfa") or {}).get(kind) in ("enabled", "preferred")


def why_missing(pool, user):
    """The reason ministack cannot hold this user as seeded, or None."""
    if user.get("totpSecret"):
        return REASON_TOTP_SECRET
    if mfa_enabled(user, "sms"):
        return REASON_SMS
    if mfa_enabled(user, "email"):
        return REASON_EMAIL
    status = user.get("status", "CONFIRMED")
    if status not in ("CONFIRMED", "FORCE_CHANGE_PASSWORD"):
        return f"status {status} is not provisioned by this script"
    return None


def create_pool(idp, pool):
    params = {
        "PoolName": pool["name"],
        # The seed's passwords are chosen for the tests, not for a policy; the
        # emulator enforces none, so neither may ministack.
        "Policies": {
            "PasswordPolicy": {
                "MinimumLength": 6,
                "RequireUppercase": False,
                "RequireLowercase": False,
                "RequireNumbers": False,
                "RequireSymbols": False,
            }
        },
    }
    if pool.get("usernameAttributes"):
        params["UsernameAttributes"] = pool["usernameAttributes"]
    pool_id = idp.create_user_pool(**params)["UserPool"]["Id"]
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration=pool.get("mfa", "OFF"),
        SoftwareTokenMfaConfiguration={"Enabled": bool(pool.get("softwareTokenMfa", False))},
    )
    return pool_id


def create_client(idp, pool_id, pool, client):
    response = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=client.get("name") or client["key"],
        GenerateSecret=client.get("secret") is not None,
        ExplicitAuthFlows=client.get("explicitAuthFlows", []),
        PreventUserExistenceErrors="ENABLED" if pool.get("preventUserExistenceErrors") else "LEGACY",
    )["UserPoolClient"]
    out = {"clientId": response["ClientId"]}
    if response.get("ClientSecret"):
        out["clientSecret"] = response["ClientSecret"]
    return out


def create_user(idp, pool_id, pool, user):
    given = dict(user.get("attributes") or {})
    # A seeded address is one the user can receive codes at, as in the emulator.
    if "email" in given:
        given.setdefault("email_verified", "true")
    attributes = [{"Name": k, "Value": str(v)} for k, v in given.items()]
    # With usernameAttributes the sign-in name is the attribute itself.
    username = user["username"]
    if "email" in (pool.get("usernameAttributes") or []):
        username = user["attributes"]["email"]
    if user.get("status", "CONFIRMED") == "FORCE_CHANGE_PASSWORD":
        created = idp.admin_create_user(
            UserPoolId=pool_id,
            Username=username,
            UserAttributes=attributes,
            TemporaryPassword=user["temporaryPassword"],
            MessageAction="SUPPRESS",
        )
    else:
        created = idp.admin_create_user(
            UserPoolId=pool_id,
            Username=username,
            UserAttributes=attributes,
            MessageAction="SUPPRESS",
        )
        idp.admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password=user["password"], Permanent=True
        )
    return created["User"]["Username"]


def provision(endpoint, seed):
    idp = cognito_client(endpoint)
    config = {
        "backend": "ministack",
        "endpoint": endpoint,
        "pools": {},
        "missingUsers": [],
        "renamedUsers": {},
    }
    for pool in seed["pools"]:
        key = pool.get("key") or pool["name"]
        pool_id = create_pool(idp, pool)
        clients = {}
        for client in pool.get("clients", []):
            clients[client.get("key") or client["name"]] = create_client(idp, pool_id, pool, client)
        config["pools"][key] = {"poolId": pool_id, "clients": clients}
        created = 0
        for user in pool.get("users", []):
            reason = why_missing(pool, user)
            if reason is None:
                actual = create_user(idp, pool_id, pool, user)
                if actual != user["username"]:
                    config["renamedUsers"].setdefault(key, {})[user["username"]] = actual
                created += 1
            else:
                config["missingUsers"].append(
                    {"pool": key, "username": user["username"], "reason": reason}
                )
        log(f"pool {key} {pool_id}: {len(clients)} client(s), {created} user(s)")
    return config


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", required=True, help="ministack URL, e.g. http://127.0.0.1:4566/")
    parser.add_argument("--seed", default=str(DEFAULT_SEED), help="seed file (default: %(default)s)")
    args = parser.parse_args(argv)
    endpoint = args.endpoint if args.endpoint.endswith("/") else args.endpoint + "/"
    try:
        seed = json.loads(pathlib.Path(args.seed).read_text(encoding="utf-8"))
        config = provision(endpoint, seed)
    except (OSError, ValueError, KeyError) as err:
        log(f"cannot read the seed {args.seed}: {err!r}")
        return 1
    except (ClientError, BotoCoreError) as err:
        log(f"ministack refused the set-up: {err}")
        return 1
    print(json.dumps(config, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
