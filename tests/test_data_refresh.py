"""A running bot serves cases that `bot.py import` changed from another process."""

from pathlib import Path

from bot import BUNDLED_CASES, command_import
from cases.files import read_cases, write_cases
from handlers.upkeep.data_refresh import RELOAD_JOB


async def run_reload_job(app) -> None:
    (job,) = app.job_queue.get_jobs_by_name(RELOAD_JOB)
    await job.run(app)


async def test_import_elsewhere_reaches_the_running_bot(app, driver, settings, tmp_path: Path):
    assert "Valik Junior" not in (await driver.send("/defender Stefanovic"))[0].plain
    cases = read_cases(BUNDLED_CASES)
    stefanovic = next(case for case in cases if case.slug == "valiantsin-stefanovic")
    stefanovic.name["en"] = "Valik Junior Stefanovic"
    path = tmp_path / "changed.yaml"
    with path.open("w", encoding="utf-8") as stream:
        write_cases([stefanovic], "yaml", stream)
    assert await command_import(settings, path) == 0
    await run_reload_job(app)
    replies = await driver.send("/defender Stefanovic")
    assert replies[0].plain.startswith("Valik Junior Stefanovic")


async def test_nothing_changed_keeps_the_catalogue(app):
    services = app.bot_data["services"]
    before = services.catalogue
    await run_reload_job(app)
    assert services.catalogue is before
