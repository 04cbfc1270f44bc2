"""/newstatement: an editor's statement, from its text to its broadcast's report."""
