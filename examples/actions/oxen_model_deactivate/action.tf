# Stop a stray deployment made by hand in the hub, without writing a
# resource for it:
#   terraform apply -invoke=action.oxen_model_deactivate.stray
# The action waits until the deployment is inactive, and sends deactivate
# only when it is not already inactive or deactivating.
action "oxen_model_deactivate" "stray" {
  config {
    model_id = "vision-tagger-ft"
    timeout  = "10m" # optional, default 30m
  }
}
