# adopt.tfquery.hcl, beside a configuration with the oxen provider:
#   terraform query                                lists what it finds
#   terraform query -generate-config-out=adopt.tf  writes an import and a resource block for each
#   terraform apply                                imports them, changing no deployment

# Every custom model's deployment the API key can see.
list "oxen_model_activation" "all" {
  provider = oxen
}

# The deployments that serve or are on their way, among the models whose
# names match "support".
list "oxen_model_activation" "serving" {
  provider = oxen

  config {
    statuses = ["active", "deploying"]
    search   = "support"
  }
}

# The settled deployments, each with the resource object as import reads
# it (-generate-config-out always includes it).
list "oxen_model_activation" "settled" {
  provider         = oxen
  include_resource = true
  limit            = 50

  config {
    statuses = ["active", "inactive"]
  }
}
