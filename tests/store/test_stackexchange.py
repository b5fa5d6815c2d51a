"""StackExchange importer on a tiny hand-written dump."""

from pathlib import Path

import pytest

from store.importers import BundleError
from store.importers.stackexchange import import_stackexchange, read_post_links
from store.tables import Community, Contribution, Member

HEADER = '<?xml version="1.0" encoding="utf-8"?>\n'
TAGS = """<tags>
  <row Id="1" TagName="qubit" Count="9" />
  <row Id="2" TagName="gates" Count="5" />
  <row Id="3" TagName="rare" Count="1" />
</tags>"""
USERS = """<users>
  <row Id="-1" DisplayName="Community" CreationDate="2018-03-09T18:48:09.477" />
  <row Id="7" DisplayName="Riker" CreationDate="2018-03-12T16:57:30.397" Location="California"
   AboutMe="&lt;p&gt;I build &lt;code&gt;qiskit&lt;/code&gt;.&lt;/p&gt;&lt;p&gt;Ask.&lt;/p&gt;" />
  <row Id="15" DisplayName="Nat" CreationDate="2018-03-12T17:00:00.000" />
</users>"""
POSTS = """<posts>
  <row Id="1" PostTypeId="1" AcceptedAnswerId="3" CreationDate="2018-03-12T17:00:45.567"
       Score="52" OwnerUserId="7" Title="What is a qubit?" Tags="&lt;rare&gt;&lt;qubit&gt;"
       Body="&lt;p&gt;Explain &lt;em&gt;qubits&lt;/em&gt; please&lt;/p&gt;" />
  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2018-03-12T17:10:00.000" Score="1"
       OwnerDisplayName="gone" Body="&lt;p&gt;a bit&lt;/p&gt;" />
  <row Id="3" PostTypeId="2" ParentId="1" CreationDate="2018-03-12T17:20:00.000" Score="9"
       OwnerUserId="15" Body="&lt;pre&gt;&lt;code&gt;H|0&amp;gt;&lt;/code&gt;&lt;/pre&gt;" />
  <row Id="4" PostTypeId="1" CreationDate="2018-03-13T09:00:00.000" Score="0" OwnerUserId="15"
       Title="Untagged here" Tags="|rare|other|" Body="&lt;p&gt;hm&lt;/p&gt;" />
  <row Id="5" PostTypeId="4" CreationDate="2018-03-13T09:00:00.000" OwnerUserId="-1" Body="wiki" />
</posts>"""
LINKS = """<postlinks>
  <row Id="1" PostId="4" RelatedPostId="1" LinkTypeId="3" />
</postlinks>"""


def _dump(folder: Path, posts: str = POSTS) -> Path:
    folder.mkdir()
    for name, body in {"Tags": TAGS, "Users": USERS, "Posts": posts, "PostLinks": LINKS}.items():
        (folder / f"{name}.xml").write_text(HEADER + body)
    return folder


def test_dump_becomes_communities_members_and_threads(sessions, tmp_path):
    report = import_stackexchange(sessions, _dump(tmp_path / "stackexchange-qc"), top_tags=2)
    assert report.tables["contributions"].added == 4
    assert report.tables["communities"].added == 3
    with sessions() as session:
        communities = {c.id: c.parent_id for c in session.query(Community)}
        posts = {c.id: c for c in session.query(Contribution)}
        members = {m.id: m for m in session.query(Member)}
    assert communities == {"qc": None, "qc/qubit": "qc", "qc/gates": "qc"}
    assert posts["q1"].community_id == "qc/qubit"
    assert posts["q4"].community_id == "qc"
    assert posts["q4"].tags == ["rare", "other"]
    assert posts["a3"].accepted and not posts["a2"].accepted
    assert (posts["a3"].thread_id, posts["a3"].tags, posts["a3"].community_id) == (
        "q1",
        ["rare", "qubit"],
        "qc/qubit",
    )
    assert posts["q1"].body == "Explain qubits please"
    assert posts["a3"].body == "H|0>"
    assert posts["a2"].author_id == "u-deleted"
    assert members["u-deleted"].discoverable is False
    assert members["u-1"].discoverable is False
    assert members["u7"].profile == "I build qiskit.\nAsk."
    assert members["u7"].location == "California"


def test_site_name_can_be_given(sessions, tmp_path):
    import_stackexchange(sessions, _dump(tmp_path / "dump"), site="quantum", top_tags=1)
    with sessions() as session:
        assert {c.id for c in session.query(Community)} == {"quantum", "quantum/qubit"}


def test_answer_to_missing_question_is_rejected(sessions, tmp_path):
    orphan = POSTS.replace(
        'ParentId="1" CreationDate="2018-03-12T17:10',
        'ParentId="99" CreationDate="2018-03-12T17:10',
    )
    with pytest.raises(BundleError) as caught:
        import_stackexchange(sessions, _dump(tmp_path / "dump", orphan))
    assert caught.value.file == "Posts.xml"
    assert "unknown parent_id 'q99'" in str(caught.value)
    with sessions() as session:
        assert session.query(Contribution).count() == 0


def test_missing_posts_file_is_named(sessions, tmp_path):
    folder = _dump(tmp_path / "dump")
    (folder / "Posts.xml").unlink()
    with pytest.raises(BundleError, match="Posts.xml"):
        import_stackexchange(sessions, folder)


def test_post_links(tmp_path):
    assert read_post_links(_dump(tmp_path / "dump")) == [("q4", "q1", 3)]
