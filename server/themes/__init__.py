"""Partner themes in the service: stored and published (`store`), the files they
name (`files`), links to them (`links`), the PDF's stylesheets (`pdf`), and the theme
studio's sign-in (`studio_links`)."""
