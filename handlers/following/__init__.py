"""What a chat follows and how it hears: subscriptions, settings, language,
channels managed from a private chat, and /forget."""
