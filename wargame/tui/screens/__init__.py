"""The screens of the terminal UI. Each is given what it shows (the game controller, the options)
and tells the App what happened by message or `dismiss`; none imports the App."""
