"""Workers that turn bus events into device actions (printers, LED boards, voice)."""
