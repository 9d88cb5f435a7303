"""The customer portal: /s/<workspace_slug>/ (DESIGN §7)."""
