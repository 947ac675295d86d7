"""``ulinzi intake add``: one line per document, hostile inputs refused alone, nothing half-written."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ulinzi.accounts.models import Organisation, OrganisationKind
from ulinzi.cli import main
from ulinzi.intake.models import Document

pytestmark = pytest.mark.django_db

ARTICLE = "NAIROBI, Kenya, Jan 26 – An additional 200 Kenyan police officers arrived in Port-au-Prince.\n"
SCRIPTED = (
    "<html><head><title>Arrivals</title><script>x='SCRIPT-CANARY'</script></head><body>"
    + "<script>y()</script>" * 200
    + "<article><p>Port-au-Prince, 3 mars 2025 - Quelque 150 policiers sont arrivés à l'aéroport Toussaint-"
    "Louverture, a indiqué la mission, qui attend d'autres renforts.</p></article></body></html>"
)


def add(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[str]]:
    code = main(["intake", "add", *arguments])
    return code, capsys.readouterr().out.splitlines()


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    (tmp_path / "article.txt").write_text(ARTICLE)
    (tmp_path / "scripted.html").write_text(SCRIPTED)
    return tmp_path


def test_good_files_are_stored_and_a_second_run_reports_them_held(capsys, inputs):
    code, lines = add(capsys, str(inputs / "article.txt"), str(inputs / "scripted.html"))
    assert code == 0
    assert lines[0].startswith(f"stored: {inputs / 'article.txt'} “NAIROBI")
    assert lines[1].startswith(f"stored: {inputs / 'scripted.html'} “Arrivals” (document ")
    assert "CANARY" not in Document.objects.get(title="Arrivals").text
    code, lines = add(capsys, str(inputs))
    assert code == 0
    assert [line.split(":")[0] for line in lines] == ["already held", "already held"]
    assert Document.objects.count() == 2


def test_hostile_inputs_are_refused_one_by_one_while_the_others_are_stored(capsys, inputs):
    (inputs / "empty.txt").write_text("")
    with (inputs / "huge.txt").open("wb") as huge:
        huge.truncate(21 * 1024 * 1024)  # sparse: refused by its size before a byte is read
    (inputs / "junk.bin").write_bytes(bytes(range(1, 256)) * 20)
    (inputs / "broken.rss").write_text('<?xml version="1.0"?><rss version="2.0"><channel><item><title>Cut')
    names = ["empty.txt", "huge.txt", "article.txt", "junk.bin", "broken.rss", "missing.txt", "scripted.html"]
    code, lines = add(capsys, *(str(inputs / name) for name in names))
    assert code == 1
    assert lines == [
        f"refused: {inputs / 'empty.txt'}: empty: there is no text in it",
        f"refused: {inputs / 'huge.txt'}: 21.0 MB, above the 20 MB limit (ULINZI_INTAKE_MAX_MB)",
        lines[2],
        f"refused: {inputs / 'junk.bin'}: not UTF-8 text: 50% of its characters cannot be decoded",
        f"refused: {inputs / 'broken.rss'}: malformed feed at line 1: no element found",
        f"refused: {inputs / 'missing.txt'}: no such file",
        lines[6],
    ]
    assert lines[2].startswith("stored:") and lines[6].startswith("stored:")
    assert Document.objects.count() == 2


def test_a_folder_is_read_one_level_deep_for_document_files_only(capsys, inputs):
    (inputs / "notes.csv").write_text("a,b\n1,2\n")
    (inputs / "deeper").mkdir()
    (inputs / "deeper" / "other.txt").write_text("Not read: one level only.")
    code, lines = add(capsys, str(inputs))
    assert code == 0
    assert len(lines) == 2
    assert Document.objects.count() == 2


def test_a_feed_gives_one_line_per_entry(capsys, tmp_path):
    feed = tmp_path / "wire.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>One</title><description>First story.</description></item>"
        "<item><title>Two</title><description>Second story.</description></item></channel></rss>"
    )
    code, lines = add(capsys, str(feed), "--label", "P0", "--lang", "en")
    assert code == 0
    assert [line.split(" “")[0] for line in lines] == [f"stored: {feed} entry 1", f"stored: {feed} entry 2"]
    assert set(Document.objects.values_list("sensitivity", "language", "publisher")) == {(0, "en", "Wire")}


def test_the_options_set_the_date_publisher_label_and_owner(capsys, inputs):
    Organisation.objects.create(code="ke-police", name="Kenya police", kind=OrganisationKind.CONTINGENT)
    arguments = ["--published", "2025-01-27", "--publisher", "Field desk", "--label", "P3", "--owner", "ke-police"]
    code, _ = add(capsys, str(inputs / "article.txt"), *arguments)
    assert code == 0
    document = Document.objects.get()
    assert (document.published, document.published_from, document.publisher) == (
        date(2025, 1, 27),
        "given",
        "Field desk",
    )
    assert (document.sensitivity, document.owner_id) == (3, "ke-police")


def test_an_unknown_owner_stores_nothing(capsys, inputs):
    code, lines = add(capsys, str(inputs / "article.txt"), "--owner", "atlantis")
    assert code == 1
    assert "no organisation has the code 'atlantis'" in lines[0]
    assert not Document.objects.exists()


def test_urls_are_refused_while_fetching_is_off(capsys):
    code, lines = add(capsys, "https://wire.example/story")
    assert code == 1
    assert lines == ["refused: https://wire.example/story: fetching URLs is off; set ULINZI_INTAKE_FETCH=yes to "
                     "allow it (docs/intake.md)"]  # fmt: skip


@pytest.fixture
def loopback_server(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "story.txt").write_text(ARTICLE)

    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(tmp_path), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test asserts on the command's lines."""

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/story.txt"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_with_fetching_on_a_url_into_the_local_network_is_still_refused(capsys, settings, loopback_server):
    settings.INTAKE_FETCH = True
    code, lines = add(capsys, loopback_server)
    assert code == 1
    assert lines == [f"refused: {loopback_server}: not fetched: 127.0.0.1: 127.0.0.1 is a loopback address; "
                     "only public addresses are fetched"]  # fmt: skip
    assert not Document.objects.exists()
