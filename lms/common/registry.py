"""Hooks through which a lower app learns from the apps above it (filled in `ready()`)."""

from collections.abc import Callable, Iterator


class Registry:
    """Named hooks a lower layer calls; each higher app registers its own at start-up."""

    def __init__(self, purpose: str):
        self.purpose = purpose
        self._hooks: dict[str, Callable] = {}

    def register(self, name: str, hook: Callable) -> None:
        """Add `hook` under `name`; the same name again replaces it, so `ready()` may rerun."""
        self._hooks[name] = hook

    def unregister(self, name: str) -> None:
        """Remove the hook under `name`, if any (tests that listen for a while)."""
        self._hooks.pop(name, None)

    def items(self) -> list[tuple[str, Callable]]:
        """(name, hook) pairs in registration order (the order of `INSTALLED_APPS`)."""
        return list(self._hooks.items())

    def __iter__(self) -> Iterator[Callable]:
        return iter(list(self._hooks.values()))

    def __repr__(self) -> str:
        return f"<Registry {self.purpose!r}: {', '.join(self._hooks) or 'empty'}>"
