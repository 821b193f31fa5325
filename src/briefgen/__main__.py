"""Allow ``python -m briefgen``."""

from __future__ import annotations

from briefgen.cli import main

raise SystemExit(main())
