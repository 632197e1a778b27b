// Job tickets go on a queue; whoever takes a ticket (a worker or the caller) claims the next task index.
#include "quantum/thread_pool.h"

#include <atomic>
#include <exception>

namespace angio::quantum {

struct ThreadPool::Job {
  const std::function<void(int)>* task;
  int tasks;
  std::atomic<int> next{0};
  std::mutex mutex;
  std::condition_variable done;
  int finished = 0;
  std::exception_ptr error;

  /** Claims and runs task indices until none is left. */
  void Drain() {
    for (int index = next.fetch_add(1); index < tasks; index = next.fetch_add(1)) {
      std::exception_ptr failure;
      try {
        (*task)(index);
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex);
      if (failure && !error) error = failure;
      if (++finished == tasks) done.notify_all();
    }
  }
};

int ThreadPool::HardwareThreads() {
  const unsigned count = std::thread::hardware_concurrency();
  return count == 0 ? 1 : static_cast<int>(count);
}

ThreadPool& ThreadPool::Shared() {
  static ThreadPool pool(HardwareThreads() - 1);
  return pool;
}

ThreadPool::ThreadPool(int workers) {
  for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void ThreadPool::Run(int tasks, const std::function<void(int)>& task) {
  if (tasks <= 0) return;
  auto job = std::make_shared<Job>();
  job->task = &task;
  job->tasks = tasks;
  if (tasks > 1 && !workers_.empty()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (int i = 1; i < tasks; ++i) queue_.push_back(job);
    }
    wake_.notify_all();
  }
  job->Drain();
  std::unique_lock<std::mutex> lock(job->mutex);
  job->done.wait(lock, [&] { return job->finished == job->tasks; });
  if (job->error) std::rethrow_exception(job->error);
}

void ThreadPool::WorkerLoop() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job->Drain();  // a stale ticket (all indices claimed) returns at once
  }
}

}  // namespace angio::quantum
