"""/list: every defender, a page at a time, narrowed by status, region and place.

The people of a page are its buttons, each name once ("Surname, First",
sorted by surname in the reader's language; a namesake's button says what
tells them apart), in one of two orders: by surname, with a jump to a
surname's first letter, or longest held first (by days behind bars, each
button with its days). The buttons carry the whole view in their callback
data ("ls:" status, region, place, order, page), so any button works after
a restart. Counts sit on the filter buttons; a region or a place is two
taps away (its menu, then its button). When a filter or the order changes,
the page that holds the first name shown (or where it would be) opens, so a
reader keeps their place.

A view of one region or one place of detention offers to follow it (or stop):
``lf:<r|p>:<view>``, answered here, the list redrawn with the button turned.
Only those who may change the chat's subscriptions may press it.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from cases.catalogue import SORTS, STATUS_FILTERS, ListQuery
from cases.facts import days_behind_bars
from cases.model import Case
from cases.regions import REGIONS
from handlers.reading.lookup import CARD_PREFIX
from handlers.shared.errors import button_expired
from handlers.shared.follows import Follows, follows_of, refresh
from handlers.shared.namesakes import names_told_apart
from handlers.shared.paging import clamp_page, paging_row
from handlers.shared.permissions import target_for
from handlers.shared.replies import chat_language, edit_or_send, send
from handlers.shared.services import Services, services
from storage import subscriptions

PAGE_SIZE = 8
VIEW_PREFIX = "ls:"
MENU_PREFIX = "lm:"
FOLLOW_PREFIX = "lf:"
MENUS = ("region", "place", "letter")
# One letter each, so a place key of 40 characters still fits Telegram's 64 bytes.
_STATUS_CODES = {"all": "a", "held": "h", "released": "r", "exile": "x"}
_STATUSES = {code: name for name, code in _STATUS_CODES.items()}
_SORT_CODES = {"name": "n", "detained": "d"}
_SORTS = {code: name for name, code in _SORT_CODES.items()}
LETTERS_PER_ROW = 8
MAX_PLACES_SHOWN = 60


def encode(query: ListQuery, page: int) -> str:
    region = str(REGIONS.index(query.region)) if query.region else "-"
    return ":".join(
        (
            _STATUS_CODES[query.status],
            region,
            query.place or "-",
            _SORT_CODES[query.sort],
            str(page),
        )
    )


def decode(data: str) -> tuple[ListQuery, int] | None:
    """The view a button names; None for data no button of ours carries."""
    parts = data.split(":")
    if len(parts) != 5:
        return None
    status, region, place, sort, page = parts
    if status not in _STATUSES or sort not in _SORTS or not page.isdigit():
        return None
    if region != "-" and not (region.isdigit() and int(region) < len(REGIONS)):
        return None
    return (
        ListQuery(
            status=_STATUSES[status],
            region="" if region == "-" else REGIONS[int(region)],
            place="" if place == "-" else place,
            sort=_SORTS[sort],
        ),
        int(page),
    )


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _page_of(app: Services, lang: str, query: ListQuery, anchor: Case | None) -> int:
    return app.catalogue.position(query, lang, anchor, app.today()) // PAGE_SIZE + 1


def _anchor(app: Services, lang: str, query: ListQuery, page: int) -> Case | None:
    cases = app.catalogue.listing(query, lang, app.today())
    index = (page - 1) * PAGE_SIZE
    return cases[index] if index < len(cases) else None


def person_buttons(app: Services, lang: str, query: ListQuery, shown: list[Case]) -> list[str]:
    """The buttons of a page's people: "Surname, First" in ``lang``, told apart from
    their namesakes in the whole list; longest held first, with their days."""
    catalogue, label = app.catalogue, app.messages.label

    def name_of(case: Case) -> str:
        surname, forename = catalogue.name_parts(case, lang)
        return label("listed_name", lang, surname=surname, forename=forename)

    among = catalogue.namesakes(query, lang, shown)
    names = names_told_apart(app, lang, shown, among=among, name_of=name_of)
    if query.sort != "detained":
        return [names[case.slug] for case in shown]
    today = app.today()
    return [
        label("listed_days", lang, name=names[case.slug], days=days_behind_bars(case, today))
        for case in shown
    ]


def follow_row(app: Services, lang: str, query: ListQuery, page: int, follows: Follows | None):
    """Follow (or stop following) the region and the place of detention the view shows."""
    if follows is None:
        return []  # better no button than one showing the wrong state
    here = encode(query, page)
    label = app.messages.label
    row = []
    if query.region:
        key = "btn_unfollow_region" if query.region in follows.regions else "btn_follow_region"
        row.append(_button(label(key, lang), f"{FOLLOW_PREFIX}r:{here}"))
    # A place written on a case rather than a record has no key to follow.
    if query.place in app.catalogue.places:
        key = "btn_unfollow_place" if query.place in follows.places else "btn_follow_place"
        row.append(_button(label(key, lang), f"{FOLLOW_PREFIX}p:{here}"))
    return row


def list_view(
    app: Services, lang: str, query: ListQuery, page: int, follows: Follows | None = None
):
    """(values for list.j2, keyboard) of one page of ``query``; with ``follows`` (what the
    chat follows), a view of a region or a place offers to follow it."""
    catalogue, label = app.catalogue, app.messages.label
    cases = catalogue.listing(query, lang, app.today())
    page, pages = clamp_page(len(cases), page, PAGE_SIZE)
    shown = cases[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    lines = person_buttons(app, lang, query, shown)
    rows = [
        [_button(line, CARD_PREFIX + case.slug)] for case, line in zip(shown, lines, strict=True)
    ]
    paging = paging_row(
        app.messages, lang, page, pages, lambda number: VIEW_PREFIX + encode(query, number)
    )
    if paging:
        rows.append(paging)
    anchor = shown[0] if shown else None
    counts = catalogue.counts(query, "status")
    rows.append(
        [
            _button(
                ("• " if name == query.status else "")
                + label(
                    "counted", lang, text=label("filter_name", lang, value=name), count=counts[name]
                ),
                VIEW_PREFIX
                + encode(
                    query.but(status=name), _page_of(app, lang, query.but(status=name), anchor)
                ),
            )
            for name in STATUS_FILTERS
        ]
    )
    here = encode(query, page)
    other_sort = SORTS[1 - SORTS.index(query.sort)]
    rows.append(
        [
            _button(label("btn_list_region", lang) + " ▾", f"{MENU_PREFIX}region:{here}"),
            _button(label("btn_list_place", lang) + " ▾", f"{MENU_PREFIX}place:{here}"),
        ]
    )
    sorted_by = query.but(sort=other_sort)
    last_row = [
        _button(
            label("btn_sort", lang, value=other_sort),
            VIEW_PREFIX + encode(sorted_by, _page_of(app, lang, sorted_by, anchor)),
        )
    ]
    if query.sort == "name" and len(cases) > PAGE_SIZE:
        last_row.append(_button(label("btn_list_letters", lang), f"{MENU_PREFIX}letter:{here}"))
    rows.append(last_row)
    if following := follow_row(app, lang, query, page, follows):
        rows.append(following)
    values = {
        "total": len(cases),
        "page": page,
        "pages": pages,
        "status_filter": query.status,
        "region": query.region,
        "place": app.messages.loc(catalogue.place_name(query.place), lang) if query.place else "",
        "sort": query.sort,
    }
    return values, InlineKeyboardMarkup(rows)


def menu_view(app: Services, lang: str, menu: str, query: ListQuery, page: int):
    """(values for list_menu.j2, keyboard): the regions, places or first letters to pick."""
    catalogue, label = app.catalogue, app.messages.label
    anchor = _anchor(app, lang, query, page)
    back = [_button(label("btn_previous", lang), VIEW_PREFIX + encode(query, page))]
    if menu == "letter":
        letters = catalogue.letters(query, lang, app.today())
        buttons = [
            _button(letter, VIEW_PREFIX + encode(query, position // PAGE_SIZE + 1))
            for letter, position in letters
        ]
        rows = [buttons[i : i + LETTERS_PER_ROW] for i in range(0, len(buttons), LETTERS_PER_ROW)]
        return {"menu": menu}, InlineKeyboardMarkup([*rows, back])
    counts = catalogue.counts(query, menu)
    if menu == "region":
        choices = [(key, label("region", lang, value=key)) for key in REGIONS if counts[key]]
        every = label("btn_any_region", lang)
    else:
        keys = sorted(counts, key=lambda key: (-counts[key], key))[:MAX_PLACES_SHOWN]
        choices = [(key, app.messages.loc(catalogue.place_name(key), lang)) for key in keys]
        every = label("btn_any_place", lang)

    def go(value: str, text: str, count: int) -> InlineKeyboardButton:
        chosen = query.but(**{menu: value})
        mark = "• " if getattr(query, menu) == value else ""
        return _button(
            mark + label("counted", lang, text=text, count=count),
            VIEW_PREFIX + encode(chosen, _page_of(app, lang, chosen, anchor)),
        )

    buttons = [go(key, text, counts[key]) for key, text in choices]
    everyone = len(catalogue.listing(query.but(**{menu: ""}), lang, app.today()))
    rows = [[go("", every, everyone)]]
    rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return {"menu": menu}, InlineKeyboardMarkup([*rows, back])


async def list_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the first page of all defenders (or /list held|released|exile)."""
    lang = await chat_language(update, context)
    status_filter = (context.args or ["all"])[0].lower()
    if status_filter not in STATUS_FILTERS:
        status_filter = "all"
    values, keyboard = list_view(
        services(context), lang, ListQuery(status=status_filter), 1, follows_of(context)
    )
    await send(update, context, "list", lang, keyboard, **values)


def _checked(app: Services, data: str) -> tuple[ListQuery, int] | None:
    """The view a button names, if it names a place we know: a made-up place would be
    printed at the top of the list, someone's words in the bot's voice."""
    view = decode(data)
    if view is None or (view[0].place and not app.catalogue.knows_place(view[0].place)):
        return None
    return view


async def list_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn the page, change a filter or the order, in place."""
    query = update.callback_query
    view = _checked(services(context), query.data.removeprefix(VIEW_PREFIX))
    if view is None:
        await button_expired(update, context)
        return
    await query.answer()
    lang = await chat_language(update, context)
    values, keyboard = list_view(services(context), lang, *view, follows_of(context))
    await edit_or_send(update, context, "list", lang, keyboard, **values)


async def menu_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer the regions, places or first letters of the list, with counts."""
    query = update.callback_query
    menu, _, rest = query.data.removeprefix(MENU_PREFIX).partition(":")
    view = _checked(services(context), rest)
    if menu not in MENUS or view is None:
        await button_expired(update, context)
        return
    await query.answer()
    lang = await chat_language(update, context)
    values, keyboard = menu_view(services(context), lang, menu, *view)
    await edit_or_send(update, context, "list_menu", lang, keyboard, **values)


async def old_list_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button from before filters by region and place ("list:held:2"): the same page."""
    query = update.callback_query
    status_filter, _, page = query.data.removeprefix("list:").partition(":")
    if status_filter not in STATUS_FILTERS or not page.isdigit() or len(page) > 6:
        await button_expired(update, context)  # "list:zzz", say: forged
        return
    await query.answer()
    lang = await chat_language(update, context)
    view = ListQuery(status=status_filter)
    values, keyboard = list_view(services(context), lang, view, int(page), follows_of(context))
    await edit_or_send(update, context, "list", lang, keyboard, **values)


async def follow_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Follow the view's region or place, or stop; the list comes back with the button turned."""
    query = update.callback_query
    kind, _, rest = query.data.removeprefix(FOLLOW_PREFIX).partition(":")
    app = services(context)
    view = _checked(app, rest)
    key = None
    if view is not None and kind == "r":
        key = view[0].region or None
    elif view is not None and kind == "p":
        key = view[0].place if view[0].place in app.catalogue.places else None
    if key is None:
        await button_expired(update, context)
        return
    target = await target_for(update, context, "")
    if target is None:
        return
    lang = await chat_language(update, context)
    area = "region" if kind == "r" else "place"
    glance = await subscriptions.at_a_glance(app.db, target.chat_id)
    following = key in (glance.regions if area == "region" else glance.places)
    if following:
        await subscriptions.unfollow_area(app.db, target.chat_id, area, key)
    else:
        await subscriptions.ensure_chat(app.db, target.chat_id, lang, target.kind)
        await subscriptions.follow_area(app.db, target.chat_id, area, key)
    await refresh(context, target)
    if area == "region":
        name = app.messages.label("region", lang, value=key)
    else:
        name = app.messages.loc(app.catalogue.place_name(key), lang)
    toast = "toast_unfollowed_area" if following else "toast_following_area"
    await query.answer(app.messages.label(toast, lang, name=name))
    values, keyboard = list_view(app, lang, *view, follows_of(context))
    await edit_or_send(update, context, "list", lang, keyboard, **values)


def handlers() -> list:
    return [
        CommandHandler("list", list_command),
        CallbackQueryHandler(old_list_button, pattern=r"^list:"),
        CallbackQueryHandler(list_button, pattern=f"^{VIEW_PREFIX}"),
        CallbackQueryHandler(menu_button, pattern=f"^{MENU_PREFIX}"),
        CallbackQueryHandler(follow_button, pattern=f"^{FOLLOW_PREFIX}"),
    ]
