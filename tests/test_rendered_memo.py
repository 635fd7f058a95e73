"""The per-process memo of rendered HTML (``config.rendered_memo``): bounded, keyed on
what a part shows, and emptied everywhere at once by ``forget_all``."""

from config.rendered_memo import CSRF_PLACEHOLDER, RenderedMemo, forget_all, with_csrf
from inspiration.templatetags import inspiration_parts
from network_sessions.templatetags import session_parts
from partnership.templatetags import page_chrome
from research_cycle.templatetags import study_parts, timeline_parts


def test_forget_all_empties_every_memo_of_the_process():
    mine = RenderedMemo(max_entries=10, max_characters=1000)
    memos = [
        mine,
        page_chrome._memo,
        study_parts._memo,
        inspiration_parts._memo,
        timeline_parts._memo,
        timeline_parts._transitions,
        session_parts._when,
        session_parts._rsvp,
    ]
    for number, memo in enumerate(memos):
        memo.get(("test", number), lambda: "<p>kept</p>")
        assert len(memo) == 1
    forget_all()
    assert [len(memo) for memo in memos] == [0] * len(memos)
    assert [memo.size for memo in memos] == [0] * len(memos)


def test_a_kept_rendering_is_rendered_once_per_key_and_the_oldest_goes_first():
    memo = RenderedMemo(max_entries=2, max_characters=1000)
    renders = []

    def render(text):
        renders.append(text)
        return text

    assert memo.get(("a",), lambda: render("A")) == "A"
    assert memo.get(("a",), lambda: render("other")) == "A"  # the same key: kept
    memo.get(("b",), lambda: render("B"))
    memo.get(("c",), lambda: render("C"))  # over the bound: "a" goes
    assert memo.get(("a",), lambda: render("A again")) == "A again"
    assert renders == ["A", "B", "C", "A again"]


def test_a_kept_form_rendered_outside_a_view_gets_no_token_and_no_placeholder(rf):
    html = f'<input name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}">'
    assert with_csrf(html, None) == '<input name="csrfmiddlewaretoken" value="">'
    request = rf.get("/")
    given = with_csrf(html, request)
    assert CSRF_PLACEHOLDER not in given
    assert 'value=""' not in given  # the request's own token went in


def test_the_forms_of_one_page_carry_one_valid_token_and_a_new_secret_a_new_one(rf):
    """Every kept form of a page gets the request's token, masked once; the token
    is one the CSRF check accepts; a rotated secret (a login) gets a token of its
    own, never the old one."""
    from django.middleware.csrf import _check_token_format, _unmask_cipher_token, rotate_token

    html = f'<input name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}">'
    request = rf.get("/")
    first, second = with_csrf(html, request), with_csrf(html, request)
    assert first == second
    token = first.split('value="')[1].split('"')[0]
    _check_token_format(token)
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    rotate_token(request)
    rotated = with_csrf(html, request).split('value="')[1].split('"')[0]
    assert rotated != token
    assert _unmask_cipher_token(rotated) == request.META["CSRF_COOKIE"]
