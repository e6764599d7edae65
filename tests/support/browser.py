"""What the browser tests (tests/browser/) render the site at: its palettes and the screen sizes."""

# Material's two palettes in mkdocs.yml, by the system setting (Playwright's ``color_scheme``)
# that picks each on a first visit, with the body's data-md-color-scheme each shows.
PALETTES = {"light": "default", "dark": "slate"}
# open_page's viewports by name, (width, height) in CSS pixels.
VIEWPORTS = {"desktop": (1280, 900), "phone": (375, 812)}
