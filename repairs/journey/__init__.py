"""The resident journey: report a repair online with no account, one question per page."""
