"""The pre-admission checklist: items as data, one list per pathway entering pre-admission."""
