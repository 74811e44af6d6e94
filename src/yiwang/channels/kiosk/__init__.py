"""自助终端: the full-screen touch pages of the self-service kiosks in the service halls.

Guides of the most-used items, status of one's applications and printing of notices, signed in with
ID number (typed on the on-screen keypad, or read by an ID-card reader plugin: `readers.py`) and
the kiosk PIN (`yiwang.kiosk`). A terminal runs Chromium full screen on `/kiosk/`, e.g.
`chromium --kiosk --kiosk-printing --noerrdialogs https://<server>/kiosk/`: `--kiosk-printing`
sends the notices straight to the terminal's default printer instead of showing the print dialog.
"""
