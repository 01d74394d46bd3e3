# ModelVersion and Job arrive with the AI platform issue.
