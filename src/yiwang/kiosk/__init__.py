"""自助终端 PIN: the short secret a citizen sets to sign in at a self-service kiosk.

The kiosk's pages live in `yiwang.channels.kiosk`; this app only keeps the PIN (hashed) and checks it
under a lockout per ID number, because a PIN is weaker than the web password and must never unlock
the portal.
"""
