"""StackExchange importer on a tiny hand-written dump."""

from pathlib import Path

import pytest

from store.importers import BundleError
from store.importers.stackexchange import import_stackexchange, read_post_links
from store.tables import Community, Contribution, ContributionLink, Member

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


COMMENTS = """<comments>
  <row Id="11" PostId="1" Score="2" Text="Do you mean a logical qubit?"
       CreationDate="2018-03-12T17:05:00.000" UserId="15" />
  <row Id="12" PostId="3" Text="Thanks, that &amp; more" CreationDate="2018-03-12T17:30:00.000" UserId="99" />
  <row Id="13" PostId="5" Score="0" Text="on a wiki" CreationDate="2018-03-13T09:10:00.000" UserId="7" />
</comments>"""
VOTES = """<votes>
  <row Id="1" PostId="4" VoteTypeId="2" CreationDate="2018-03-14T00:00:00.000" />
  <row Id="2" PostId="4" VoteTypeId="2" CreationDate="2018-03-14T00:00:00.000" />
  <row Id="3" PostId="4" VoteTypeId="3" CreationDate="2018-03-14T00:00:00.000" />
  <row Id="4" PostId="4" VoteTypeId="1" CreationDate="2018-03-14T00:00:00.000" />
  <row Id="5" PostId="1" VoteTypeId="2" CreationDate="2018-03-14T00:00:00.000" />
  <row Id="6" PostId="11" VoteTypeId="2" CreationDate="2018-03-14T00:00:00.000" />
</votes>"""


def _full_dump(folder: Path) -> Path:
    """The dump with comments, votes, and post 4 without a Score."""
    posts = POSTS.replace(
        'Score="0" OwnerUserId="15"\n       Title="Untagged here"',
        'OwnerUserId="15"\n       Title="Untagged here"',
    )
    assert posts != POSTS
    _dump(folder, posts)
    (folder / "Comments.xml").write_text(HEADER + COMMENTS)
    (folder / "Votes.xml").write_text(HEADER + VOTES)
    return folder


def test_comments_follow_their_post(sessions, tmp_path):
    import_stackexchange(sessions, _full_dump(tmp_path / "dump"), top_tags=2)
    with sessions() as session:
        posts = {c.id: c for c in session.query(Contribution)}
    assert "c13" not in posts  # its post (a tag wiki) is not imported
    on_question, on_answer = posts["c11"], posts["c12"]
    assert (on_question.kind, on_question.parent_id, on_question.thread_id) == ("comment", "q1", "q1")
    assert (on_question.community_id, on_question.score, on_question.author_id) == ("dump/qubit", 2, "u15")
    assert (on_answer.parent_id, on_answer.thread_id, on_answer.author_id) == ("a3", "q1", "u-deleted")
    assert on_answer.body == "Thanks, that & more"


def test_votes_give_scores_only_where_missing(sessions, tmp_path):
    import_stackexchange(sessions, _full_dump(tmp_path / "dump"), top_tags=2)
    with sessions() as session:
        scores = {c.id: c.score for c in session.query(Contribution)}
    assert scores["q4"] == 1  # two up, one down, one accept vote
    assert scores["q1"] == 52  # its Score stands; the vote is not added
    assert scores["c12"] == 0


def test_duplicates_are_kept_as_links_and_reimport_adds_nothing(sessions, tmp_path):
    dump = _full_dump(tmp_path / "dump")
    (dump / "PostLinks.xml").write_text(
        HEADER
        + """<postlinks>
  <row Id="1" PostId="4" RelatedPostId="1" LinkTypeId="3" />
  <row Id="2" PostId="1" RelatedPostId="4" LinkTypeId="1" />
  <row Id="3" PostId="4" RelatedPostId="404" LinkTypeId="3" />
</postlinks>"""
    )
    first = import_stackexchange(sessions, dump)
    assert first.tables["links"].added == 1
    with sessions() as session:
        links = [(link.from_id, link.to_id, link.kind) for link in session.query(ContributionLink)]
    assert links == [("q4", "q1", "duplicate")]
    again = import_stackexchange(sessions, dump)
    assert not again.changed
    assert again.tables["links"].unchanged == 1
