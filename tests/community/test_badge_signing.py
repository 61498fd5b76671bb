"""Verifiable badges: the JWT-VC, the issuer's JWKS and did:web document, verification with the published key."""

import base64
import json

import jwt
import pytest
from jwt.algorithms import OKPAlgorithm

from community import badge_signing
from tests.community.test_badges_views import _expert, _topic_award

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def key_file(settings, tmp_path):
    settings.CANDOR_BADGE_SIGNING_KEY = ""
    settings.CANDOR_BADGE_KEY_FILE = tmp_path / "var" / "badge-signing-key.pem"
    return settings.CANDOR_BADGE_KEY_FILE


@pytest.fixture
def award(product, settings, django_capture_on_commit_callbacks):
    settings.CANDOR_EXPERT_THRESHOLDS = {"bronze": (20, 2), "silver": (40, 3), "gold": (100, 5)}
    with django_capture_on_commit_callbacks(execute=True):
        expert = _expert(product)
    return _topic_award(expert, product)


def _published_key(client, kid):
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk-set+json"
    assert "max-age=3600" in response["Cache-Control"] and "public" in response["Cache-Control"]
    [jwk] = [k for k in response.json()["keys"] if k["kid"] == kid]
    return OKPAlgorithm.from_jwk(jwk)


def _fetch_jwt(client, award):
    response = client.get(f"/community/badges/awards/{award.pk}/credential.jwt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    return response.content.decode()


def test_a_signed_credential_verifies_with_the_key_the_site_publishes(client, award, key_file):
    token = _fetch_jwt(client, award)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"
    assert header["kid"].startswith("did:web:testserver#")
    claims = jwt.decode(token, _published_key(client, header["kid"]), algorithms=["EdDSA"])
    assert claims == client.get(f"/community/badges/awards/{award.pk}/credential.json").json()
    assert claims["issuer"]["id"] == "did:web:testserver"
    assert claims["credentialSubject"]["achievement"]["name"] == "Bronze: Expert in Router X"
    # The first signature created the key file, readable by its owner only.
    assert key_file.exists() and key_file.stat().st_mode & 0o077 == 0
    assert b"PRIVATE KEY" in key_file.read_bytes()


def _flip(segment: str):
    """The decoded bytes of a base64url segment, and how to encode them back."""
    raw = bytearray(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    return raw, lambda data: base64.urlsafe_b64encode(bytes(data)).rstrip(b"=").decode()


def test_one_changed_byte_of_payload_or_signature_fails_verification(client, award):
    token = _fetch_jwt(client, award)
    key = _published_key(client, jwt.get_unverified_header(token)["kid"])
    head, payload, signature = token.split(".")

    raw, encode = _flip(payload)
    text = raw.decode().replace("Bronze: Expert", "Bronze: Expett", 1)
    assert text != raw.decode()
    forged_payload = encode(text.encode())
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(f"{head}.{forged_payload}.{signature}", key, algorithms=["EdDSA"])

    raw, encode = _flip(signature)
    raw[10] ^= 0x01
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(f"{head}.{payload}.{encode(raw)}", key, algorithms=["EdDSA"])

    # The untouched token still verifies, so the failures above are the changed bytes.
    assert jwt.decode(token, key, algorithms=["EdDSA"])["id"].endswith(f"/awards/{award.pk}/")


def test_another_key_does_not_verify_and_the_kid_names_the_published_one(client, award, settings, tmp_path):
    token = _fetch_jwt(client, award)
    settings.CANDOR_BADGE_KEY_FILE = tmp_path / "other.pem"
    other = OKPAlgorithm.from_jwk(badge_signing.public_jwk())
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, other, algorithms=["EdDSA"])


def test_the_did_web_document_resolves_the_issuer_to_the_jwks_key(client, award):
    token = _fetch_jwt(client, award)
    kid = jwt.get_unverified_header(token)["kid"]
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    document = response.json()
    assert document["id"] == "did:web:testserver"
    [method] = document["verificationMethod"]
    assert method["id"] == kid and document["assertionMethod"] == [kid]
    key = OKPAlgorithm.from_jwk(json.dumps(method["publicKeyJwk"]))
    assert jwt.decode(token, key, algorithms=["EdDSA"])["issuer"]["id"] == document["id"]


def test_a_key_from_the_environment_is_used_instead_of_the_file(client, award, settings, key_file):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    settings.CANDOR_BADGE_SIGNING_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    token = _fetch_jwt(client, award)
    assert jwt.decode(token, key.public_key(), algorithms=["EdDSA"])["type"][1] == "OpenBadgeCredential"
    assert not key_file.exists()


def test_the_badge_page_links_the_signed_credential(client, award):
    html = client.get(f"/community/badges/awards/{award.pk}/").content.decode()
    assert f'href="http://testserver/community/badges/awards/{award.pk}/credential.jwt"' in html
    assert "Verify this badge" in html and "did:web:testserver" in html
    assert 'href="/.well-known/did.json"' in html and 'href="/.well-known/jwks.json"' in html


def test_an_unknown_award_has_no_signed_credential(client):
    response = client.get("/community/badges/awards/999999/credential.jwt")
    assert response.status_code == 404


def test_the_signed_credential_has_a_query_budget(client, award, django_assert_max_num_queries):
    client.get(f"/community/badges/awards/{award.pk}/credential.jwt")  # warm the key
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(12):
        assert client.get(f"/community/badges/awards/{award.pk}/credential.jwt").status_code == 200
    with django_assert_max_num_queries(0):
        assert client.get("/.well-known/jwks.json").status_code == 200


def test_the_command_prints_the_published_key_or_a_new_private_one(client, key_file):
    from io import StringIO

    from cryptography.hazmat.primitives import serialization
    from django.core.management import call_command

    out = StringIO()
    call_command("community_badge_key", stdout=out)
    assert json.loads(out.getvalue()) == client.get("/.well-known/jwks.json").json()["keys"][0]
    assert key_file.exists()
    out = StringIO()
    call_command("community_badge_key", "--new", stdout=out)
    assert serialization.load_pem_private_key(out.getvalue().encode(), password=None)
    assert out.getvalue() != key_file.read_text()


def test_a_malformed_key_in_the_environment_fails_the_system_check(settings):
    from django.core.checks import run_checks

    settings.CANDOR_BADGE_SIGNING_KEY = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"
    assert [e.id for e in run_checks() if e.id.startswith("community.")] == ["community.E101"]
    settings.CANDOR_BADGE_SIGNING_KEY = ""
    assert [e.id for e in run_checks() if e.id.startswith("community.")] == []
