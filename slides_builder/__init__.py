"""Workshop decks (python-pptx) and facilitator guides (python-docx) from the content model."""
