"""Reflex configuration of the theme studio (read by `reflex export` and by
`themes.studio.serve`, both from this directory).

The studio lives under /studio on its own origin. The backend URL baked into
the build is a placeholder origin that `themes.studio.serve` replaces, when
serving the build, by the studio's public URL: one build serves any host/port.
"""

import reflex as rx

BUILD_ORIGIN = "http://studio-build.invalid"

config = rx.Config(
    app_name="blanche_studio",
    app_module_import="themes.studio.app",
    frontend_path="/studio",
    backend_path="/studio/_backend",
    api_url=BUILD_ORIGIN,
    deploy_url=BUILD_ORIGIN,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    state_manager_mode=rx.constants.StateManagerMode.MEMORY,
    plugins=[
        rx.plugins.RadixThemesPlugin(theme=rx.theme(appearance="light", accent_color="gray")),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
