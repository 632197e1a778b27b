// A small fixed pool (hardware concurrency − 1 workers; the calling thread works too) that runs a call's tasks.
// Safe to use from several callers at once (the N-API async worker and the training engine).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace angio::quantum {

class ThreadPool {
 public:
  static ThreadPool& Shared();
  static int HardwareThreads();

  explicit ThreadPool(int workers);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  /** Runs task(0..tasks−1), the caller included; returns when all finished and rethrows the first exception. */
  void Run(int tasks, const std::function<void(int)>& task);

 private:
  struct Job;
  void WorkerLoop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Job>> queue_;
  std::vector<std::thread> workers_;
  bool stopping_ = false;
};

}  // namespace angio::quantum
