"""Date and number formats per language (FORMAT_MODULE_PATH), where Django's own
differ from how the network writes: English pages write day-month-year."""
