"""PTB's Defaults carry HTML and "no link preview" to every kind of message the bot sends."""

NO_PREVIEW = {"is_disabled": True}


def formatted(record) -> bool:
    return record.params.get("parse_mode") == "HTML" and (
        record.params.get("link_preview_options") == NO_PREVIEW
    )


async def test_replies_and_edits_are_html_without_previews(driver):
    card = (await driver.send("/defender Bialiatski"))[0]
    listing = (await driver.send("/list"))[0]
    edited = await driver.press(listing, "In exile (5)")
    assert [record.method for record in edited if record.method != "answerCallbackQuery"] == [
        "editMessageText"
    ]
    for record in [card, listing, *edited]:
        if record.method != "answerCallbackQuery":
            assert formatted(record), record


async def test_a_shared_card_is_html_without_a_preview(driver):
    (answer,) = [reply for reply in await driver.inline("Bial") if reply.method != "getMe"]
    content = answer.params["results"][0]["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert content["link_preview_options"] == NO_PREVIEW
