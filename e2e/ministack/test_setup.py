"""setup.py against a real ministack: what it prints must match what ministack now holds.

Starts ministack (target/venv/bin/ministack) on a free loopback port, runs
setup.py with the test seed, and checks the printed configuration against the
seed and against ministack's own answers.
"""

import json
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest
from botocore.exceptions import ClientError

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
# COGNITO_TEST_SEED lets the script be tried on another seed of the same shape.
SEED_PATH = pathlib.Path(os.environ.get("COGNITO_TEST_SEED", REPO / "emulator" / "seed" / "test.json"))
SEED = json.loads(SEED_PATH.read_text(encoding="utf-8"))
MINISTACK = pathlib.Path(sys.executable).parent / "ministack"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def ministack(tmp_path_factory):
    if not MINISTACK.exists():
        pytest.fail(f"{MINISTACK} missing: pip install -r e2e/requirements.txt into this venv")
    port = free_port()
    env = {
        **os.environ,
        "AUTH": "true",
        "BIND_HOST": "127.0.0.1",
        "GATEWAY_PORT": str(port),
        "STATE_DIR": str(tmp_path_factory.mktemp("ministack-state")),
    }
    proc = subprocess.Popen([str(MINISTACK)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "_ministack/health", timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("ministack did not become healthy")
            time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def config(ministack):
    result = subprocess.run(
        [sys.executable, str(HERE / "setup.py"), "--endpoint", ministack, "--seed", str(SEED_PATH)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, "exactly one line on stdout"
    return json.loads(lines[0])


@pytest.fixture(scope="module")
def idp(ministack):
    return boto3.client(
        "cognito-idp",
        endpoint_url=ministack,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def missing(config):
    return {(m["pool"], m["username"]): m["reason"] for m in config["missingUsers"]}


def test_config_names_every_seed_pool_and_client(config, ministack, idp):
    assert config["backend"] == "ministack"
    assert config["endpoint"] == ministack
    assert set(config["pools"]) == {p["key"] for p in SEED["pools"]}
    for pool in SEED["pools"]:
        entry = config["pools"][pool["key"]]
        described = idp.describe_user_pool(UserPoolId=entry["poolId"])["UserPool"]
        assert described["Name"] == pool["name"]
        mfa = idp.get_user_pool_mfa_config(UserPoolId=entry["poolId"])
        assert mfa["MfaConfiguration"] == pool.get("mfa", "OFF")
        assert set(entry["clients"]) == {c["key"] for c in pool["clients"]}
        for client in pool["clients"]:
            out = entry["clients"][client["key"]]
            assert ("clientSecret" in out) == (client.get("secret") is not None)
            remote = idp.describe_user_pool_client(UserPoolId=entry["poolId"], ClientId=out["clientId"])
            flows = remote["UserPoolClient"]["ExplicitAuthFlows"]
            assert sorted(flows) == sorted(client["explicitAuthFlows"])


def test_users_exist_or_are_reported_missing(config, idp):
    gone = missing(config)
    for pool in SEED["pools"]:
        pool_id = config["pools"][pool["key"]]["poolId"]
        renamed = config.get("renamedUsers", {}).get(pool["key"], {})
        for user in pool["users"]:
            key = (pool["key"], user["username"])
            if user.get("totpSecret"):
                assert key in gone, f"{key} has a TOTP secret ministack cannot take"
            if key in gone:
                assert gone[key]
                continue
            name = renamed.get(user["username"], user["username"])
            remote = idp.admin_get_user(UserPoolId=pool_id, Username=name)
            assert remote["UserStatus"] == user.get("status", "CONFIRMED")


def test_seeded_passwords_sign_in(config, idp):
    """USER_PASSWORD_AUTH on a client that allows it: the passwords arrived, wrong ones fail."""
    gone = missing(config)
    checked = 0
    for pool in SEED["pools"]:
        for client in pool["clients"]:
            if client.get("secret") is not None or "ALLOW_USER_PASSWORD_AUTH" not in client["explicitAuthFlows"]:
                continue
            client_id = config["pools"][pool["key"]]["clients"][client["key"]]["clientId"]
            for user in pool["users"]:
                if (pool["key"], user["username"]) in gone or user.get("status") == "FORCE_CHANGE_PASSWORD":
                    continue
                name = user["username"]
                if "email" in (pool.get("usernameAttributes") or []):
                    name = user["attributes"]["email"]
                result = idp.initiate_auth(
                    ClientId=client_id,
                    AuthFlow="USER_PASSWORD_AUTH",
                    AuthParameters={"USERNAME": name, "PASSWORD": user["password"]},
                )
                assert result["AuthenticationResult"]["AccessToken"]
                with pytest.raises(ClientError) as excinfo:
                    idp.initiate_auth(
                        ClientId=client_id,
                        AuthFlow="USER_PASSWORD_AUTH",
                        AuthParameters={"USERNAME": name, "PASSWORD": user["password"] + "x"},
                    )
                assert excinfo.value.response["Error"]["Code"] == "NotAuthorizedException"
                checked += 1
    assert checked > 0, "the seed has a client allowing USER_PASSWORD_AUTH and users to check"


def test_srp_challenge_names_the_user(config, idp):
    """USER_SRP_AUTH reaches PASSWORD_VERIFIER; a secret client demands SECRET_HASH."""
    optional = config["pools"]["optional"]
    result = idp.initiate_auth(
        ClientId=optional["clients"]["web"]["clientId"],
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": "plain", "SRP_A": "5f" * 384},
    )
    assert result["ChallengeName"] == "PASSWORD_VERIFIER"
    assert result["ChallengeParameters"]["USER_ID_FOR_SRP"] == "plain"
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(
            ClientId=optional["clients"]["secret"]["clientId"],
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "plain", "SRP_A": "5f" * 384},
        )
    assert excinfo.value.response["Error"]["Code"] == "NotAuthorizedException"
