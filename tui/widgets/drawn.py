"""What every panel of the main view shares: it knows which frame it drew, and says when it comes
back into view (the notes closed, the map view toggled, a terminal grown past the minimum), so
that the app draws the frame on view in it before anything else (PerceptronLab.catch_up)."""

from __future__ import annotations

from tui.messages import PanelShown


class DrawsFrames:
    """Mixed into a panel: `drawn` is (Frame.stamp, language) of what it shows, None before its first frame."""

    drawn: tuple | None = None

    def on_show(self) -> None:
        # Lines marked changed while hidden were marked in no region (the panel had no size), and
        # Textual would show its cached lines from before: the whole panel is drawn anew (coming
        # into view, its area is sent whole anyway).
        self.refresh()
        self.post_message(PanelShown())
