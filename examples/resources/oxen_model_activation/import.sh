# An existing deployment is imported by its model id.
terraform import oxen_model_activation.support_bot support-bot-ft
