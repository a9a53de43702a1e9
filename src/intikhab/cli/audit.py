"""``intikhab keys init`` and ``intikhab audit checkpoint|prove|consistency|verify-proof|
verify-log``: the audit log as a transparency log (docs/transparency.md).

The private key stays in its file: it is read to sign and never written to the database nor
to any output.  ``verify-proof`` needs no database at all, only the public key: it is what a
journalist or a party's agent runs on a published proof.  Failures with a code: one line
``CODE field: message``, exit 2; a proof or a log that does not verify: exit 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from intikhab.cli.common import DbOption, emit, fail, open_session
from intikhab.formats import safejson
from intikhab.law.errors import InputError, IntikhabError

keys_app = typer.Typer(help="The checkpoint-signing key pair (kept outside the database).",
                       no_args_is_help=True)

FormatOption = Annotated[str, typer.Option("--format", help="text or json.")]
PublicKey = Annotated[Path, typer.Option("--key", help="The public key (PEM).")]


@keys_app.command("init")
def keys_init(out: Annotated[Path, typer.Option("--out", help="Directory for the new key pair.")]
              ) -> None:
    """Create an Ed25519 key pair: the private key (mode 0600) and the public key to publish.
    Refuses to overwrite an existing key."""
    from intikhab.services import keys

    try:
        private, public = keys.create_key_pair(out)
    except IntikhabError as e:
        fail(e)
    pub = keys.load_public_key(public)
    emit({"private_key": str(private), "public_key": str(public),
          "public_key_hex": pub.hex(),
          "note": "keep the private key off the database server and out of published files"})



def audit_checkpoint(
    key: Annotated[Path, typer.Option("--key", help="The private signing key (PEM).")],
    db: DbOption = None, fmt: FormatOption = "text",
) -> None:
    """Sign the audit log as it stands (size and Merkle root), store the checkpoint and print
    it: publish the printed note where others keep copies."""
    from intikhab.services import keys, transparency

    try:
        private = keys.load_signing_key(key)
        with open_session(db, write=True) as s:
            stored = transparency.sign_checkpoint(s, private)
    except IntikhabError as e:
        fail(e)
    c = stored.signed.checkpoint
    if fmt == "json":
        emit({"number": stored.number, "origin": c.origin, "size": c.size,
              "root": c.root.hex(), "time": c.time.isoformat() + "Z",
              "note": stored.signed.note()})
        return
    typer.echo(stored.signed.note(), nl=False)


def audit_prove(
    record_id: Annotated[int, typer.Argument(help="The audit record's number (seq).")],
    checkpoint: Annotated[int | None, typer.Option(
        "--checkpoint", help="Prove against this stored checkpoint (default: the latest).")] = None,
    db: DbOption = None, fmt: FormatOption = "text",
) -> None:
    """An inclusion proof of one audit record against a signed checkpoint."""
    from intikhab.services import transparency

    try:
        with open_session(db) as s:
            bundle = transparency.prove(s, record_id, checkpoint)
    except IntikhabError as e:
        fail(e)
    if fmt == "json":
        emit(bundle)
        return
    r = bundle["record"]
    typer.echo(f"record {r['seq']}: {r['action']} {r['entity']} by {r['actor']} at {r['at']}\n"
               f"in the log signed by:\n{bundle['checkpoint']}"
               f"inclusion path: {len(bundle['proof'])} hashes (--format json for the proof)")


def audit_consistency(
    old_size: Annotated[int, typer.Argument(help="The size of the earlier checkpoint.")],
    new_size: Annotated[int | None, typer.Argument(
        help="The size of the later checkpoint (default: the latest).")] = None,
    db: DbOption = None,
) -> None:
    """A consistency proof between two stored checkpoints (JSON): the later log extends the
    earlier one."""
    from intikhab.services import transparency

    try:
        with open_session(db) as s:
            emit(transparency.prove_consistency(s, old_size, new_size))
    except IntikhabError as e:
        fail(e)


def audit_verify_proof(
    file: Annotated[Path, typer.Argument(help="A proof file (JSON), '-' for standard input.")],
    key: PublicKey,
) -> None:
    """Check a proof with only the public key, no database: exit 0 if it holds, 1 if not."""
    from intikhab.records.checkpoint import check_bundle
    from intikhab.services.keys import load_public_key

    try:
        public = load_public_key(key)
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        bundle = safejson.loads(text)
        if not isinstance(bundle, dict):
            raise InputError("E-AUD-007", detail="not a JSON object")
        result = check_bundle(bundle, public)
    except (OSError, ValueError) as e:
        fail(InputError("E-AUD-007", detail=str(e).splitlines()[0] if str(e) else "unreadable"))
    except IntikhabError as e:
        fail(e)
    c = result.checkpoint
    where = f"the log '{c.origin}' of {c.size:,} records signed {c.time:%Y-%m-%d %H:%M:%S}Z" \
        if c else "the log"
    if result.ok:
        what = "the record is in" if result.kind.endswith("inclusion-proof/v1") else \
            "the later checkpoint extends the earlier one:"
        typer.echo(f"proof verified: {what} {where}")
        return
    print(f"proof FAILED: {result.reason} ({where})", file=sys.stderr)
    raise typer.Exit(1)


def audit_verify_log(
    key: PublicKey,
    note: Annotated[Path | None, typer.Option(
        "--checkpoint", help="A published checkpoint note to check the log against "
                             "(default: every checkpoint stored in the database).")] = None,
    db: DbOption = None,
) -> None:
    """Check the log in the database against signed checkpoints: exit 0 if it agrees, 1 if it
    was re-hashed, truncated or rewound."""
    from intikhab.records.checkpoint import parse_note
    from intikhab.services import transparency
    from intikhab.services.keys import load_public_key

    try:
        public = load_public_key(key)
        signed = parse_note(note.read_text(encoding="utf-8")) if note else None
        with open_session(db) as s:
            agreement = (transparency.verify_against_checkpoint(s, signed, public) if signed
                         else transparency.verify_stored_checkpoints(s, public))
    except OSError as e:
        fail(InputError("E-AUD-007", detail=e.strerror or "unreadable"))
    except IntikhabError as e:
        fail(e)
    if agreement.ok:
        typer.echo(f"audit log agrees with {agreement.checked} signed checkpoint(s): "
                   f"{agreement.log_size:,} records")
        return
    print(f"audit log DISAGREES with a signed checkpoint: {agreement.reason}", file=sys.stderr)
    raise typer.Exit(1)


def register(app: typer.Typer, audit_app: typer.Typer | None = None) -> None:
    """Add ``keys`` to ``app`` and the transparency commands to its ``audit`` group."""
    app.add_typer(keys_app, name="keys")
    if audit_app is None:
        audit_app = next(g.typer_instance for g in app.registered_groups
                         if g.name == "audit" and g.typer_instance is not None)
    audit_app.command("checkpoint")(audit_checkpoint)
    audit_app.command("prove")(audit_prove)
    audit_app.command("consistency")(audit_consistency)
    audit_app.command("verify-proof")(audit_verify_proof)
    audit_app.command("verify-log")(audit_verify_log)
