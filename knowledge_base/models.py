# Published studies arrive with the knowledge-base issue.
