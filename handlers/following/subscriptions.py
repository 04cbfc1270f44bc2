"""/subscribe, /unsubscribe, /subscriptions, and what the card's Subscribe and Mute do.

/subscribe takes a person's name, ``all``, a region ("Homel", "Гомельская
вобласць") or a place of detention by its name ("IK-1"); a name is looked
for first, so a surname that reads like a region still finds its person.

Buttons carry ``sb:<op>:<target>:<slug>``; the target is empty for the chat
the button is in, or a channel's id when a channel is managed from a private
chat (``handlers.following.channels`` reuses everything here). Ops:
``c+``/``c-`` the card button, ``ca`` the card button of a chat that follows
everyone, ``m+``/``m-`` the card's Mute and Unmute (all drawn by
``follows.subscribe_row``), ``p+``/``p-`` a name picked from a choice,
``rg+``/``rg-`` and ``pl+``/``pl-`` a region or a place picked from a choice
(its key in place of the slug), ``x`` a remove button in a list, ``xr``/``xp``
a region's or a place's, ``um`` an Unmute in the list, ``xa`` the list's
"stop following everyone", ``pg`` a page of the list (the page number in
place of the slug).
"""

from __future__ import annotations

from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from cases.model import localised
from cases.regions import REGIONS, regions_meant
from cases.search import MAX_CHOICES
from handlers.shared.card_buttons import card_keyboard
from handlers.shared.choices import offer_choice, offer_suggestions
from handlers.shared.errors import button_expired
from handlers.shared.everyone import means_everyone
from handlers.shared.follows import refresh
from handlers.shared.namesakes import names_told_apart
from handlers.shared.paging import clamp_page, paging_row
from handlers.shared.permissions import Target, group_admins_only, target_for, this_chat
from handlers.shared.replies import chat_language, edit_or_send, send
from handlers.shared.services import services
from storage import subscriptions
from storage.audience import follows_broadly

# People a page of /subscriptions lists, each with a remove button.
LIST_PAGE = 10
# Unmute buttons under /subscriptions' first page: Telegram takes 100 buttons at most.
MUTED_BUTTONS = 30
# An area op of a choice, by kind and direction; and back.
AREA_OPS = {("region", True): "rg+", ("region", False): "rg-"}
AREA_OPS |= {("place", True): "pl+", ("place", False): "pl-"}
AREA_OF_OP = {op: kind_and_way for kind_and_way, op in AREA_OPS.items()}


def pick_prefix(target: Target, op: str) -> str:
    """The callback data of a button that follows (p+) or unfollows (p-) the slug after it."""
    return f"sb:{op}:{target.ref}:"


async def answer(update, context, target: Target, query: str, lang: str, subscribing: bool):
    """Follow or unfollow whom ``query`` names, or ask which person is meant."""
    app = services(context)
    query = query.strip()
    op = "p+" if subscribing else "p-"
    if not query:
        await send(
            update,
            context,
            "subscribe_usage",
            lang,
            subscribing=subscribing,
            channel=target.channel,
        )
        return
    if means_everyone(query):
        await apply_all(update, context, target, lang, subscribing)
        return
    # A slug is exact: the channel commands and deep links may pass one.
    result = app.catalogue.search(query) if app.catalogue.get(query) is None else None
    if result is None or result.kind == "match":
        slug = query if result is None else result.slugs[0]
        await apply(update, context, target, slug, lang, subscribing)
    elif await answer_area(update, context, target, query, lang, subscribing):
        return
    elif result.kind in ("too_short", "too_long"):
        await send(update, context, result.kind, lang)
    elif result.kind == "choose":
        if not subscribing:
            # Of several people matching, the ones this chat follows are meant.
            followed = set(await subscriptions.subscribed_slugs(app.db, target.chat_id))
            mine = tuple(slug for slug in result.all_slugs or result.slugs if slug in followed)
            if len(mine) == 1:
                await apply(update, context, target, mine[0], lang, subscribing)
                return
            if mine:
                result = replace(result, slugs=mine[:MAX_CHOICES], all_slugs=mine, total=len(mine))
        # Every namesake within reach, eight a page, as /defender offers them.
        await offer_choice(update, context, lang, query, result, pick_prefix(target, op))
    else:
        await offer_suggestions(update, context, lang, query, result, pick_prefix(target, op))


async def apply(
    update, context, target: Target, slug: str, lang: str, subscribing: bool, edit: bool = False
) -> None:
    """Store the change for one person and say what it was."""
    db = services(context).db
    if subscribing:
        await subscriptions.ensure_chat(db, target.chat_id, lang, target.kind)
        changed = await subscriptions.subscribe(db, target.chat_id, slug)
    else:
        changed = await subscriptions.unsubscribe(db, target.chat_id, slug)
    glance = await subscriptions.at_a_glance(db, target.chat_id)
    everyone = glance.subscribed_all
    case = services(context).catalogue.get(slug)
    # Still heard through the person's region or place (everyone says so on its own).
    by_area = (
        not everyone
        and slug not in glance.muted
        and follows_broadly(case, False, glance.regions, glance.places)
    )
    reply = edit_or_send if edit else send
    await reply(
        update,
        context,
        "subscribed" if subscribing else "unsubscribed",
        lang,
        None,
        name=localised(case.name, lang),
        # Someone free gets no calendar alerts: the reply says what will still come.
        held=case.is_held,
        changed=changed,
        everyone=everyone,
        by_area=by_area,
        channel=target.channel,
    )


def area_name(context, kind: str, key: str, lang: str) -> str:
    app = services(context)
    if kind == "region":
        return app.messages.label("region", lang, value=key)
    return app.messages.loc(app.catalogue.place_name(key), lang)


def known_area(context, kind: str, key: str) -> bool:
    """A key a button may name: a region of REGIONS, a stored place."""
    return key in REGIONS if kind == "region" else key in services(context).catalogue.places


async def answer_area(
    update, context, target: Target, query: str, lang: str, subscribing: bool
) -> bool:
    """Follow or unfollow the region or the place ``query`` names, or ask which is
    meant; False when it names none."""
    app = services(context)
    kind, keys = "region", sorted(regions_meant(query))
    if not keys:
        kind, keys = "place", app.catalogue.places_named(query)
    if not keys:
        return False
    if not subscribing and len(keys) > 1:
        # Of several, the ones this chat follows are meant.
        glance = await subscriptions.at_a_glance(app.db, target.chat_id)
        followed = glance.regions if kind == "region" else glance.places
        keys = [key for key in keys if key in followed] or keys
    if len(keys) == 1:
        await apply_area(update, context, target, kind, keys[0], lang, subscribing)
        return True
    prefix = f"sb:{AREA_OPS[kind, subscribing]}:{target.ref}:"
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(area_name(context, kind, key, lang), callback_data=prefix + key)]
            for key in keys[:MAX_CHOICES]
        ]
    )
    await send(update, context, "area_choice", lang, keyboard)
    return True


async def apply_area(
    update,
    context,
    target: Target,
    kind: str,
    key: str,
    lang: str,
    subscribing: bool,
    edit: bool = False,
) -> None:
    """Store the change for one region or place and say what it was."""
    db = services(context).db
    if subscribing:
        await subscriptions.ensure_chat(db, target.chat_id, lang, target.kind)
        changed = await subscriptions.follow_area(db, target.chat_id, kind, key)
    else:
        changed = await subscriptions.unfollow_area(db, target.chat_id, kind, key)
    everyone = (await subscriptions.get_settings(db, target.chat_id)).subscribed_all
    reply = edit_or_send if edit else send
    await reply(
        update,
        context,
        "followed_area",
        lang,
        None,
        area=area_name(context, kind, key, lang),
        kind=kind,
        subscribing=subscribing,
        changed=changed,
        everyone=everyone,
        channel=target.channel,
    )


async def apply_all(update, context, target: Target, lang: str, subscribing: bool) -> None:
    db = services(context).db
    if subscribing:
        await subscriptions.ensure_chat(db, target.chat_id, lang, target.kind)
        changed = await subscriptions.subscribe_all(db, target.chat_id)
        await send(update, context, "subscribed_all", lang, changed=changed, channel=target.channel)
    else:
        dropped = await subscriptions.unsubscribe_everything(db, target.chat_id)
        await send(
            update, context, "unsubscribed_all", lang, changed=dropped > 0, channel=target.channel
        )


@group_admins_only
async def subscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Follow the person named after /subscribe, or everyone with /subscribe all."""
    lang = await chat_language(update, context)
    await answer(update, context, this_chat(update), " ".join(context.args), lang, True)
    await refresh(context, this_chat(update))


@group_admins_only
async def unsubscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop following the person named after /unsubscribe, or everyone with "all"."""
    lang = await chat_language(update, context)
    await answer(update, context, this_chat(update), " ".join(context.args), lang, False)
    await refresh(context, this_chat(update))


async def list_view(
    context, target: Target, lang: str, page: int = 1
) -> tuple[dict, InlineKeyboardMarkup | None]:
    """What ``target`` follows, with a remove button for each: its regions, places and
    the people it muted on the first page, the people it follows by name a page at a time."""
    app = services(context)
    glance = await subscriptions.at_a_glance(app.db, target.chat_id)
    cases = await followed_cases(context, target)
    # A page, not everyone: Telegram takes at most 100 buttons under a message.
    page, pages = clamp_page(len(cases), page, LIST_PAGE)
    shown = cases[(page - 1) * LIST_PAGE : page * LIST_PAGE]
    names = names_told_apart(app, lang, shown, among=cases)
    label = app.messages.label
    areas = []
    muted = []
    if page == 1:
        areas = [("region", key) for key in REGIONS if key in glance.regions]
        areas += [("place", key) for key in sorted(glance.places)]
        muted = [case for case in app.catalogue.ordered if case.slug in glance.muted]
    area_names = {area: area_name(context, *area, lang) for area in areas}
    muted_names = names_told_apart(app, lang, muted, among=muted)
    rows = [
        [
            InlineKeyboardButton(
                label("btn_remove", lang, name=area_names[kind, key]),
                callback_data=f"sb:{'xr' if kind == 'region' else 'xp'}:{target.ref}:{key}",
            )
        ]
        for kind, key in areas
    ]
    rows += [
        [
            InlineKeyboardButton(
                label("btn_remove", lang, name=names[case.slug]),
                callback_data=f"sb:x:{target.ref}:{case.slug}",
            )
        ]
        for case in shown
    ]
    rows += [
        [
            InlineKeyboardButton(
                label("btn_unmute_name", lang, name=muted_names[case.slug]),
                callback_data=f"sb:um:{target.ref}:{case.slug}",
            )
        ]
        for case in muted[:MUTED_BUTTONS]
    ]
    paging = paging_row(
        app.messages, lang, page, pages, lambda number: f"sb:pg:{target.ref}:{number}"
    )
    if paging:
        rows.append(paging)
    if glance.subscribed_all:
        stop = label("btn_stop_all", lang)
        rows.append([InlineKeyboardButton(stop, callback_data=f"sb:xa:{target.ref}:")])
    values = {
        "names": [names[case.slug] for case in shown],
        "regions": [area_names[area] for area in areas if area[0] == "region"],
        "places": [area_names[area] for area in areas if area[0] == "place"],
        "muted": [muted_names[case.slug] for case in muted],
        "everyone": glance.subscribed_all,
        "channel": target.channel,
        "total": len(cases),
        "page": page,
        "pages": pages,
    }
    # Telegram refuses an empty keyboard: no subscriptions, no buttons.
    return values, InlineKeyboardMarkup(rows) if rows else None


async def followed_cases(context, target: Target) -> list:
    """The people ``target`` follows one by one, in the catalogue's order."""
    app = services(context)
    slugs = set(await subscriptions.subscribed_slugs(app.db, target.chat_id))
    return [case for case in app.catalogue.ordered if case.slug in slugs]


async def subscriptions_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List what this chat follows; anyone may look, only admins may remove."""
    lang = await chat_language(update, context)
    values, keyboard = await list_view(context, this_chat(update), lang)
    await send(update, context, "subscriptions", lang, keyboard, **values)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every subscription button: card toggles, picks from a choice, list removals."""
    query = update.callback_query
    _, op, ref, slug = query.data.split(":", 3)
    lang = await chat_language(update, context)
    app = services(context)
    if op == "ca":
        await query.answer(app.messages.label("following_all_alert", lang), show_alert=True)
        return
    target = await target_for(update, context, ref)
    if target is None:
        return
    if op == "pg":
        await query.answer()
        page = int(slug) if slug.isdigit() else 1
        values, keyboard = await list_view(context, target, lang, page)
        await edit_or_send(update, context, "subscriptions", lang, keyboard, **values)
        return
    if op in AREA_OF_OP or op in ("xr", "xp"):
        await area_button(update, context, target, op, slug, lang)
        return
    case = app.catalogue.get(slug)
    if case is None and op != "xa":
        await query.answer()
        await send(update, context, "case_missing", lang)
        return
    if op in ("m+", "m-"):
        if op == "m+":
            await subscriptions.ensure_chat(app.db, target.chat_id, lang, target.kind)
            await subscriptions.mute(app.db, target.chat_id, slug)
        else:
            await subscriptions.unmute(app.db, target.chat_id, slug)
        await refresh(context, target)
        toast = "toast_muted" if op == "m+" else "toast_unmuted"
        name = localised(case.name, lang)
        await query.answer(app.messages.label(toast, lang, name=name))
        await redraw_card(query, case, lang, context)
        return
    if op in ("c+", "c-"):
        if op == "c+":
            await subscriptions.ensure_chat(app.db, target.chat_id, lang, target.kind)
            await subscriptions.subscribe(app.db, target.chat_id, slug)
        else:
            await subscriptions.unsubscribe(app.db, target.chat_id, slug)
        await refresh(context, target)
        toast = "toast_subscribed" if op == "c+" else "toast_unsubscribed"
        # Someone free gets no calendar alerts: say so where it cannot be missed.
        popup = op == "c+" and not case.is_held
        if popup:
            toast = "toast_subscribed_free"
        name = localised(case.name, lang)
        await query.answer(app.messages.label(toast, lang, name=name), show_alert=popup)
        await redraw_card(query, case, lang, context)
        return
    await query.answer()
    if op in ("p+", "p-"):
        await apply(update, context, target, slug, lang, op == "p+", edit=True)
    page = 1
    if op == "x":
        # The list comes back on the page the removed person was on.
        followed = [case.slug for case in await followed_cases(context, target)]
        page = followed.index(slug) // LIST_PAGE + 1 if slug in followed else 1
        await subscriptions.unsubscribe(app.db, target.chat_id, slug)
    elif op == "um":
        await subscriptions.unmute(app.db, target.chat_id, slug)
    elif op == "xa":
        await subscriptions.stop_all(app.db, target.chat_id)
    await refresh(context, target)
    if op in ("x", "xa", "um"):
        values, keyboard = await list_view(context, target, lang, page)
        await edit_or_send(update, context, "subscriptions", lang, keyboard, **values)


async def redraw_card(query, case, lang: str, context) -> None:
    """The card's buttons as they are now."""
    try:
        await query.edit_message_reply_markup(card_keyboard(case, lang, context))
    except BadRequest as error:
        # A second press on the same old card: the buttons already say this.
        if "not modified" not in error.message:
            raise


async def area_button(update, context, target: Target, op: str, key: str, lang: str) -> None:
    """A region or a place picked from a choice, or removed from the list."""
    query = update.callback_query
    kind = "region" if op in ("rg+", "rg-", "xr") else "place"
    if not known_area(context, kind, key):
        await button_expired(update, context)
        return
    await query.answer()
    if op in AREA_OF_OP:
        await apply_area(update, context, target, kind, key, lang, op.endswith("+"), edit=True)
    else:
        await subscriptions.unfollow_area(services(context).db, target.chat_id, kind, key)
        values, keyboard = await list_view(context, target, lang)
        await edit_or_send(update, context, "subscriptions", lang, keyboard, **values)
    await refresh(context, target)


def handlers() -> list:
    ops = r"c\+|c-|ca|m\+|m-|p\+|p-|rg\+|rg-|pl\+|pl-|x|xr|xp|um|xa|pg"
    return [
        CommandHandler("subscribe", subscribe_command),
        CommandHandler("unsubscribe", unsubscribe_command),
        CommandHandler("subscriptions", subscriptions_command),
        CallbackQueryHandler(button, pattern=rf"^sb:({ops}):-?\d*:"),
    ]
