"""Finds English left on a Welsh page, given the texts of both versions of the page.

Two checks, because either alone misses something:

- every text of the English page (a heading, a label, a button, a visually hidden "Error:", an
  aria-label, the title) must be absent from the Welsh page, unless it is data that reads the same in
  both languages (a postcode, an address, a reference, a phone number, a name the resident typed);
- no text of the Welsh page may hold a common English word (the, your, we, select, enter...), which
  catches English that the English page did not show at that moment (an error message, say).

Texts inside an element whose lang is another language (the "English" link) are left out by the
extraction, as GOV.UK marks them.
"""

from __future__ import annotations

import re

# Common English words that are not Welsh words too (so not "a", "i", "am", "at", "to", "ar", "yn",
# "problem" or "do").
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "you",
        "your",
        "we",
        "our",
        "us",
        "is",
        "are",
        "was",
        "of",
        "for",
        "with",
        "this",
        "that",
        "these",
        "will",
        "not",
        "or",
        "in",
        "on",
        "by",
        "it",
        "its",
        "have",
        "has",
        "had",
        "what",
        "how",
        "when",
        "where",
        "which",
        "who",
        "from",
        "if",
        "does",
        "did",
        "please",
        "select",
        "enter",
        "continue",
        "back",
        "change",
        "report",
        "repair",
        "repairs",
        "appointment",
        "home",
        "address",
        "name",
        "phone",
        "email",
        "updates",
        "there",
        "been",
        "should",
        "could",
        "would",
        "can't",
        "cannot",
        "don't",
        "skip",
        "main",
        "content",
        "page",
        "service",
        "menu",
        "warning",
        "error",
        "success",
        "important",
    ]
)
_WORD = re.compile(r"[A-Za-z']+")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _is_data(text: str, data: set[str]) -> bool:
    return not re.search(r"[A-Za-z]", text) or text in data


def _without_data(text: str, data: set[str]) -> str:
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return text


def english_left(english: list[str], welsh: list[str], *, data: set[str] = frozenset()) -> list[str]:
    """What of the English is still on the Welsh page (empty when none): each finding says why."""
    data = {normalise(d) for d in data if d}
    welsh_texts = {normalise(t) for t in welsh if normalise(t)}
    findings = [
        f"English text on the Welsh page: {text!r}"
        for text in dict.fromkeys(normalise(t) for t in english)
        if text and not _is_data(text, data) and text in welsh_texts
    ]
    for text in sorted(welsh_texts):
        words = {w.lower() for w in _WORD.findall(_without_data(text, data))}
        found = sorted(words & ENGLISH_WORDS)
        if found:
            findings.append(f"English words {found} in Welsh text: {text!r}")
    return findings


# The texts people see or hear, in document order: text nodes (visually hidden ones too), the title,
# and the accessible names in attributes. Elements in another language (lang="en-GB" on the language
# link) are left out.
PAGE_TEXTS_JS = """() => {
  const pageLang = document.documentElement.lang.slice(0, 2);
  const ownLanguage = (el) => {
    const marked = el.closest('[lang]');
    return !marked || marked.lang.slice(0, 2) === pageLang;
  };
  const texts = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || el.closest('script, style, noscript, template') || !ownLanguage(el)) continue;
    texts.push(walker.currentNode.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], img[alt], [placeholder]')) {
    if (!ownLanguage(el)) continue;
    for (const name of ['aria-label', 'title', 'alt', 'placeholder']) {
      if (el.getAttribute(name)) texts.push(el.getAttribute(name));
    }
  }
  return texts;
}"""
