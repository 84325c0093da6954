"""What a service process needs from the operating system: private files under
var/, no secrets in logs, children that die with their parent."""
