import * as pulumi from "@pulumi/pulumi";
import { readAzureFlowConfig } from "./config";
import { azureFlow } from "./program";

export = azureFlow(readAzureFlowConfig(new pulumi.Config())).outputs;
