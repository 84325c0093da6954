"""The studio's pages: `/studio/` (the studio) and `/studio/login` (a login link).

Layout: the controls on the left (three colours, logo, module name, font, site,
publish), the previews on the right (the real editor, the emails, the PDF's
first page) and the contrast report under them.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from themes.studio.state import FONTS, StudioState

COLOR_FIELDS = ("primary", "secondary", "accent")


def say(key: str) -> Any:
    """The studio's word for `key`, in the language chosen (themes/studio/words.py)."""
    return StudioState.t[key]


def color_field(name: str) -> rx.Component:
    label, hint = say(name), say(f"{name}_hint")
    value = getattr(StudioState, name)
    setter = getattr(StudioState, f"set_{name}")
    field: rx.Component = rx.vstack(
        rx.text(label, weight="bold", size="2"),
        rx.hstack(
            rx.input(
                type="color",
                value=value,
                on_change=setter,
                debounce_timeout=250,
                aria_label=say(f"{name}_picker"),
                id=f"{name}-picker",
                width="3em",
                padding="0",
            ),
            rx.input(
                value=value,
                on_change=setter,
                debounce_timeout=400,
                aria_label=say(f"{name}_hex"),
                id=f"{name}-hex",
                width="8em",
                font_family="monospace",
            ),
            align="center",
        ),
        rx.text(hint, size="1", color_scheme="gray"),
        spacing="1",
    )
    return field


def controls() -> rx.Component:
    component: rx.Component = rx.vstack(
        rx.heading(StudioState.partner_name, size="5"),
        *(color_field(name) for name in COLOR_FIELDS),
        rx.text(say("module_name"), weight="bold", size="2"),
        rx.input(
            value=StudioState.module_name,
            on_change=StudioState.set_module_name,
            debounce_timeout=400,
            id="module-name",
            aria_label=say("module_name"),
        ),
        rx.text(say("font"), weight="bold", size="2"),
        rx.select(FONTS, value=StudioState.font, on_change=StudioState.set_font, id="font"),
        rx.text(say("website"), weight="bold", size="2"),
        rx.input(
            value=StudioState.website,
            on_change=StudioState.set_website,
            debounce_timeout=600,
            placeholder="https://www.example.fr",
            id="website",
            aria_label=say("website_label"),
        ),
        rx.text(say("logo"), weight="bold", size="2"),
        rx.cond(
            StudioState.logo_preview != "",
            rx.image(src=StudioState.logo_preview, alt="logo", max_height="48px", id="logo"),
        ),
        rx.upload(
            rx.text(say("logo_drop"), size="1"),
            id="logo-upload",
            on_drop=StudioState.upload_logo,
            multiple=False,
            max_files=1,
            border="1px dashed var(--gray-8)",
            padding="0.75em",
            width="100%",
        ),
        rx.hstack(
            rx.text(StudioState.logo_note, size="1", id="logo-note"),
            rx.cond(
                StudioState.logo_preview != "",
                rx.button(
                    say("remove"), size="1", variant="soft", on_click=StudioState.remove_logo
                ),
            ),
        ),
        rx.foreach(
            StudioState.errors,
            lambda error: rx.callout(
                error["field"] + ": " + error["message"], color_scheme="red", size="1"
            ),
        ),
        rx.button(say("publish"), on_click=StudioState.publish, id="publish", size="3"),
        rx.text(StudioState.status, id="status", size="2"),
        rx.cond(
            StudioState.published_version > 0,
            rx.text(
                say("published_css"),
                rx.code(StudioState.published_css_url, id="published-css"),
                size="1",
            ),
        ),
        width="20em",
        min_width="16em",
        spacing="3",
    )
    return component


def token(name: str) -> Any:
    return StudioState.tokens[name]


def sample_ui() -> rx.Component:
    """A few of the editor's surfaces drawn with the derived tokens."""
    button_style = {"padding": "6px 12px", "border_radius": "6px", "border": "1px solid"}
    component: rx.Component = rx.box(
        rx.el.div(
            StudioState.module_name,
            style={"color": token("heading-brand"), "font_weight": "bold", "font_size": "18px"},
        ),
        rx.el.div(
            rx.el.button(
                StudioState.sample_labels[0],
                style={
                    **button_style,
                    "background": token("primary"),
                    "color": token("on-primary"),
                    "border_color": token("primary-border"),
                },
            ),
            rx.el.button(
                StudioState.sample_labels[1],
                style={
                    **button_style,
                    "background": token("secondary"),
                    "color": token("on-secondary"),
                    "border_color": token("secondary-border"),
                },
            ),
            rx.el.button(
                StudioState.sample_labels[2],
                style={
                    **button_style,
                    "background": token("accent"),
                    "color": token("on-accent"),
                    "border_color": token("accent-border"),
                },
            ),
            style={"display": "flex", "gap": "8px", "margin": "8px 0"},
        ),
        rx.el.div(
            say("sample_error"),
            style={
                "background": token("error-surface"),
                "color": token("error-text"),
                "padding": "4px 8px",
                "border_radius": "4px",
            },
        ),
        rx.el.a(say("sample_link"), href="#", style={"color": token("link")}),
        id="sample-ui",
        style={
            "background": token("surface-bg"),
            "color": token("text"),
            "border": "1px solid",
            "border_color": token("border"),
            "padding": "12px",
            "border_radius": "8px",
        },
    )
    return component


def contrast_report() -> rx.Component:
    component: rx.Component = rx.vstack(
        rx.heading(say("contrast"), size="3"),
        rx.cond(
            StudioState.adjustments.length() > 0,  # type: ignore[attr-defined]
            rx.vstack(
                rx.text(say("adjusted"), size="2"),
                rx.foreach(
                    StudioState.adjustments,
                    lambda a: rx.hstack(
                        rx.code(a["token"]),
                        rx.box(width="1em", height="1em", background=a["from"]),
                        rx.text("→", size="1"),
                        rx.box(width="1em", height="1em", background=a["to"]),
                        rx.text(a["from"] + " → " + a["to"] + ": " + a["reason"], size="1"),
                        class_name="adjustment",
                    ),
                ),
                id="adjustments",
            ),
            rx.text(say("no_adjustment"), size="2", id="no-adjustments", color="green"),
        ),
        rx.scroll_area(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(say("pair")),
                        rx.table.column_header_cell(say("use")),
                        rx.table.column_header_cell(say("ratio")),
                        rx.table.column_header_cell(say("minimum")),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        StudioState.contrast,
                        lambda rule: rx.table.row(
                            rx.table.cell(rule["pair"]),
                            rx.table.cell(rule["purpose"]),
                            rx.table.cell(rule["ratio"]),
                            rx.table.cell(rule["minimum"]),
                        ),
                    )
                ),
                size="1",
            ),
            max_height="16em",
        ),
        width="100%",
    )
    return component


def email_frame(title: Any, html: Any, frame_id: str) -> rx.Component:
    component: rx.Component = rx.vstack(
        rx.heading(title, size="3"),
        rx.el.iframe(
            src_doc=html,
            sandbox="",  # no scripts, no navigation, no same-origin access
            title=title,
            id=frame_id,
            style={"width": "100%", "height": "420px", "border": "1px solid var(--gray-6)"},
        ),
        width="100%",
    )
    return component


def previews() -> rx.Component:
    component: rx.Component = rx.vstack(
        sample_ui(),
        rx.heading(say("editor"), size="3"),
        rx.text(StudioState.editor_note, size="2", id="editor-note"),
        rx.text(say("editor_help"), size="1", color_scheme="gray"),
        rx.box(id="editor-slot", width="100%"),
        rx.grid(
            email_frame(say("quote_email"), StudioState.quote_email_html, "quote-email"),
            email_frame(say("invoice_email"), StudioState.invoice_email_html, "invoice-email"),
            columns="2",
            spacing="3",
            width="100%",
        ),
        rx.heading(say("pdf"), size="3"),
        rx.text(say("pdf_no_logo"), size="1", id="pdf-note"),
        rx.cond(
            StudioState.pdf_png != "",
            rx.image(
                src=StudioState.pdf_png,
                alt=say("pdf_alt"),
                id="pdf-page",
                border="1px solid var(--gray-6)",
                max_width="100%",
            ),
        ),
        contrast_report(),
        width="100%",
        spacing="3",
    )
    return component


def language_switch() -> rx.Component:
    component: rx.Component = rx.hstack(
        rx.el.label(say("language"), html_for="language", style={"font_size": "14px"}),
        rx.select.root(
            rx.select.trigger(aria_label=say("language"), id="language"),
            rx.select.content(
                rx.select.item("Français", value="fr"),
                rx.select.item("English", value="en"),
            ),
            value=StudioState.language_value,
            on_change=StudioState.set_lang,
            size="1",
        ),
        justify="end",
        align="center",
        width="100%",
        padding_y="0.5em",
    )
    return component


def index() -> rx.Component:
    component: rx.Component = rx.container(
        language_switch(),
        rx.cond(
            StudioState.signed_in,
            rx.flex(  # side by side on a desktop, one under the other on a phone
                controls(),
                previews(),
                direction=rx.breakpoints(initial="column", md="row"),
                align="start",
                gap="2em",
            ),
            rx.callout(StudioState.status, id="signed-out"),
        ),
        size="4",
    )
    return component


def login() -> rx.Component:
    component: rx.Component = rx.container(
        language_switch(), rx.text(StudioState.status, id="login-status")
    )
    return component


app = rx.App()
app.add_page(index, route="/", title="Theme studio", on_load=StudioState.load)
app.add_page(login, route="/login", title="Theme studio: sign in", on_load=StudioState.sign_in)
