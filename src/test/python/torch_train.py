"""A few steps of PyTorch's own SGD on the seed network's shape, from a seeded start: python3 torch_train.py OUT.
The weights it saves are PyTorch's, not Descent's (TorchRoundTripTest checks them with descent gradcheck)."""
import sys, torch, safetensors.torch as st

torch.manual_seed(3)
net = torch.nn.Sequential(torch.nn.Linear(5, 20), torch.nn.ReLU(), torch.nn.Linear(20, 10))
x, y = torch.rand(64, 5), torch.randint(0, 10, (64,))
opt = torch.optim.SGD(net.parameters(), lr=0.1)
for _ in range(20):
    opt.zero_grad()
    torch.nn.functional.cross_entropy(net(x), y).backward()
    opt.step()
st.save_file(net.state_dict(), sys.argv[1], metadata={"format": "pt"})
