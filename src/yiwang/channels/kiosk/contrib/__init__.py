"""Card reader backends, one module each; see `yiwang.channels.kiosk.card_readers`."""
