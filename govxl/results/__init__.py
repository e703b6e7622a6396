"""What flows between the stages: figures, findings and their catalogue, the commands' results."""
