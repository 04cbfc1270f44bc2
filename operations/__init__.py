"""Running casewatch as a service: the process, its HTTP server, health, backups and logs.

Above everything but bot.py: it wires the bot's parts into a long-running
process (polling or webhook), answers /healthz and /metrics, makes the daily
backup and sets up logging. Nothing below imports it.
"""
