#include "orchestrator/engine/saga_definition.h"

#include <set>

#include "orchestrator/engine/saga_instance.h"

namespace sagaflow::engine {

const StepDefinition* SagaDefinition::FindStep(const std::string& step_name) const {
  for (const auto& stage : stages) {
    for (const auto& step : stage.steps) {
      if (step.name == step_name) return &step;
    }
  }
  return nullptr;
}

const StepDefinition* SagaDefinition::FindStepByReplyTopic(const std::string& topic, bool* compensation) const {
  for (const auto& stage : stages) {
    for (const auto& step : stage.steps) {
      if (step.reply_topic == topic) {
        *compensation = false;
        return &step;
      }
      if (!step.compensation_reply_topic.empty() && step.compensation_reply_topic == topic) {
        *compensation = true;
        return &step;
      }
    }
  }
  return nullptr;
}

std::vector<std::string> SagaDefinition::ConsumedTopics() const {
  std::vector<std::string> topics{start_topic};
  for (const auto& stage : stages) {
    for (const auto& step : stage.steps) {
      topics.push_back(step.reply_topic);
      if (!step.compensation_reply_topic.empty()) topics.push_back(step.compensation_reply_topic);
    }
  }
  if (!outcome.ack_topic.empty()) topics.push_back(outcome.ack_topic);
  return topics;
}

std::vector<std::string> SagaDefinition::PublishedTopics() const {
  std::vector<std::string> topics;
  for (const auto& stage : stages) {
    for (const auto& step : stage.steps) {
      topics.push_back(step.command_topic);
      if (!step.compensation_topic.empty()) topics.push_back(step.compensation_topic);
    }
  }
  topics.insert(topics.end(), outcome.topics.begin(), outcome.topics.end());
  if (!progress_topic.empty()) topics.push_back(progress_topic);
  return topics;
}

Status SagaDefinition::Validate() const {
  if (stages.empty()) return Status::InvalidArgument("saga " + name + " has no stages");
  std::set<std::string> names;
  std::set<std::string> topics{start_topic, outcome.ack_topic};
  for (const auto& stage : stages) {
    if (stage.steps.empty()) return Status::InvalidArgument("saga " + name + " has an empty stage");
    for (const auto& step : stage.steps) {
      if (!names.insert(step.name).second) return Status::InvalidArgument("duplicate step " + step.name);
      if (step.name == kOutcomeStep) return Status::InvalidArgument("step name " + step.name + " is reserved");
      if (!step.compensation_topic.empty() && step.compensation_reply_topic.empty()) {
        return Status::InvalidArgument("step " + step.name + " has a compensation but no compensation reply topic");
      }
      if (!topics.insert(step.reply_topic).second) {
        return Status::InvalidArgument("reply topic " + step.reply_topic + " used twice");
      }
      if (!step.compensation_topic.empty() && !topics.insert(step.compensation_reply_topic).second) {
        return Status::InvalidArgument("reply topic " + step.compensation_reply_topic + " used twice");
      }
      if (!step.build_command || !step.read_reply) {
        return Status::InvalidArgument("step " + step.name + " lacks a command builder or reply reader");
      }
      if (!step.compensation_topic.empty() && !step.build_compensation) {
        return Status::InvalidArgument("step " + step.name + " lacks a compensation builder");
      }
    }
  }
  if (!outcome.build) return Status::InvalidArgument("saga " + name + " lacks an outcome builder");
  return Status::Ok();
}

}  // namespace sagaflow::engine
